"""The audience screens: the contacts list with its bulk actions (contacts.py) and one
contact's page (contact_page.py)."""
