"""The approval flow in real Chromium, across two people: a marketer submits, an approver sends
it back with a comment, then approves it, and the version goes live."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from editor import review
from tests.factories import make_brand, make_template
from tests.support.browser import marketer_page, signed_in_page
from tests.support.views import card_content

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-demo-passphrase"
VIEWPORTS = [
    ("desktop", {"width": 1366, "height": 860}),
    ("phone", {"width": 390, "height": 844}),
]


def approver_page(browser, live_server, viewport, phone=False):
    """Léa Martin, an Approver (who does not edit), signed in on a fresh page in English."""
    user = User.objects.create_user("lea", "lea@shop.example", PASSWORD, first_name="Léa")
    user.last_name = "Martin"
    user.save()
    user.groups.add(Group.objects.get_or_create(name="Approver")[0])
    return signed_in_page(
        browser, live_server, user, viewport=viewport, phone=phone, password=PASSWORD
    )


def approval_template():
    brand = make_brand(name="Maison Relais", requires_approval=True)
    return make_template(
        name="Soldes d'été", brand=brand, rcs_content=card_content("Voir les soldes")
    )


def test_a_marketer_submits_and_an_approver_sends_back_then_approves(
    browser, live_server, screenshot
):
    template = approval_template()
    desktop = {"width": 1366, "height": 860}
    marketer = marketer_page(browser, live_server, viewport=desktop, password=PASSWORD)
    approver = approver_page(browser, live_server, desktop)

    # The marketer edits, then submits with a note: the editor locks and names the approver.
    marketer.goto(f"{marketer.base_url}/templates/{template.pk}/")
    marketer.get_by_label("SMS text").fill("Soldes d'été : -40 % ce week-end https://shop.example")
    marketer.get_by_role("button", name="Submit for review").click()
    dialog = marketer.get_by_role("dialog", name="Submit for review")
    dialog.get_by_label("Note for the approver (optional)").fill("Pour l'envoi de jeudi")
    dialog.get_by_role("button", name="Submit for review").click()
    banner = marketer.locator("[data-review=pending]")
    expect(banner).to_contain_text("Waiting for approval by Léa Martin")
    expect(banner).to_contain_text("Pour l'envoi de jeudi")
    expect(marketer.locator("#status-badge")).to_have_text("Waiting for approval")
    expect(marketer.locator("#template-name")).to_have_count(0)
    template.refresh_from_db()
    assert template.sms_fallback.startswith("Soldes d'été : -40 %")

    # The approver finds it in the queue, looks at both phones and sends it back.
    approver.goto(approver.base_url + "/templates/")
    approver.get_by_role("link", name="To review").click()
    approver.get_by_role("link", name="Soldes d'été").click()
    expect(approver.get_by_role("region", name="iPhone preview")).to_be_visible()
    expect(approver.get_by_role("region", name="Android preview")).to_be_visible()
    approver.get_by_role("button", name="Send back").click()
    expect(approver.locator("#send-back-error")).to_have_text(
        "Say what to change: the comment is required."
    )
    approver.get_by_label("What should change?").fill("Le prix est -30 %, pas -40 %.")
    approver.get_by_role("button", name="Send back").click()
    expect(approver.get_by_role("alert")).to_contain_text("Sent back with your comment.")

    # The marketer reads the comment, fixes the SMS and submits again.
    marketer.reload()
    sent_back = marketer.locator("[data-review=sent_back]")
    expect(sent_back).to_contain_text("Sent back by Léa Martin")
    expect(sent_back).to_contain_text("Le prix est -30 %, pas -40 %.")
    marketer.get_by_label("SMS text").fill("Soldes d'été : -30 % ce week-end https://shop.example")
    marketer.get_by_role("button", name="Submit for review").click()
    marketer.get_by_role("dialog", name="Submit for review").get_by_role(
        "button", name="Submit for review"
    ).click()
    expect(marketer.locator("[data-review=pending]")).to_be_visible()

    # The approver approves: exactly that content is live as version 1.
    approver.goto(f"{approver.base_url}/templates/{template.pk}/review/")
    approver.get_by_role("button", name="Approve and publish").click()
    expect(approver.get_by_role("alert")).to_contain_text("Approved: the new version is live.")
    version = template.versions.get()
    assert version.sms_fallback.startswith("Soldes d'été : -30 %")
    assert version.published_by.username == "lea"

    marketer.reload()
    expect(marketer.locator("#status-badge")).to_have_text("Published")
    history = marketer.locator(".review-history")
    expect(history.locator("li")).to_have_count(4)
    expect(history.locator("li").first).to_contain_text("Approved and published")
    expect(history.locator("li").first).to_contain_text("Léa Martin")
    marketer.locator("#versions-heading").scroll_into_view_if_needed()
    screenshot(marketer, "editor-approval-history-desktop")
    marketer.context.close()
    approver.context.close()


@pytest.mark.parametrize(("name", "viewport"), VIEWPORTS)
def test_the_approval_states_read_clearly(browser, live_server, screenshot, name, viewport):
    template = approval_template()
    phone = name == "phone"
    marketer = marketer_page(
        browser, live_server, viewport=viewport, phone=phone, password=PASSWORD
    )
    approver = approver_page(browser, live_server, viewport, phone=phone)
    marie = User.objects.get(username="marie")
    lea = User.objects.get(username="lea")

    review.submit_for_review(template, marie, "Pour l'envoi de jeudi, merci de vérifier le prix.")
    marketer.goto(f"{marketer.base_url}/templates/{template.pk}/")
    expect(marketer.locator("[data-review=pending]")).to_be_visible()
    screenshot(marketer, f"editor-approval-waiting-{name}")

    approver.goto(approver.base_url + "/templates/review/")
    expect(approver.get_by_role("link", name="Soldes d'été")).to_be_visible()
    screenshot(approver, f"editor-approval-queue-{name}")
    approver.goto(f"{approver.base_url}/templates/{template.pk}/review/")
    expect(approver.get_by_role("button", name="Approve and publish")).to_be_visible()
    screenshot(approver, f"editor-approval-review-{name}", full_page=True)

    review.send_back(template, lea, "Le prix est -30 %, pas -40 %. Le reste est parfait.")
    marketer.reload()
    expect(marketer.locator("[data-review=sent_back]")).to_be_visible()
    screenshot(marketer, f"editor-approval-sent-back-{name}")
    marketer.context.close()
    approver.context.close()
