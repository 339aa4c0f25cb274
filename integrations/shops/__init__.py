"""Shop connectors: Shopify and WooCommerce send their order webhooks to Relais, which turns
each one into a contact, its consent, a conversion and the message a mapping asks for."""
