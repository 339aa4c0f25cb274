"""The library's templates in French.

The SMS texts avoid â ê î ô û ç and typographic quotes: one of them switches a whole SMS
to UCS-2 and cuts it from 160 to 70 characters per part.
"""

from editor.library.blocks import (
    calendar,
    card,
    carousel,
    dial,
    open_url,
    reply,
    standalone,
    text,
    variable,
    view_location,
)

SERVICE_CLIENT = "+33199001234"  # a number ARCEP reserves for fiction
UNSUBSCRIBE = reply("Se désabonner", "STOP")

TEMPLATES = {
    "flash_sale": {
        "name": "Soldes -40 %",
        "description": (
            "Vente flash avec image, trois boutons vers les offres et la désinscription."
        ),
        "rcs_content": standalone(
            card(
                image="flash_sale_fr.jpg",
                height="MEDIUM",
                title="{{ prenom }}, les soldes -40 % ont commencé !",
                description=(
                    "Pendant {{ duree_offre }} seulement : -40 % sur une sélection mode femme "
                    "et homme. Livraison offerte dès 50 €."
                ),
                buttons=[
                    open_url("Soldes femme", "https://shop.example/soldes/femme"),
                    open_url("Soldes homme", "https://shop.example/soldes/homme"),
                    open_url("Voir toutes les offres", "https://shop.example/soldes"),
                    UNSUBSCRIBE,
                ],
            )
        ),
        "sms_fallback": (
            "{{ prenom }}, SOLDES -40 % pendant {{ duree_offre }} seulement sur la mode femme "
            "et homme ! Toutes les offres : https://shop.example/soldes"
        ),
        "variables": [variable("prenom", "Marie"), variable("duree_offre", "48h")],
    },
    "order_confirmation": {
        "name": "Confirmation de commande",
        "description": "Commande confirmée : suivi, facture et appel au service client.",
        "rcs_content": standalone(
            card(
                image="order.jpg",
                height="SHORT",
                title="Commande {{ numero_commande }} confirmée",
                description=(
                    "Merci {{ prenom }} ! Nous avons bien reçu votre commande de {{ montant }}. "
                    "Livraison estimée : {{ date_livraison }}."
                ),
                buttons=[
                    open_url(
                        "Suivre ma commande", "https://shop.example/commandes/{{ numero_commande }}"
                    ),
                    open_url(
                        "Voir ma facture",
                        "https://shop.example/commandes/{{ numero_commande }}/facture",
                    ),
                    dial("Service client", SERVICE_CLIENT),
                ],
            )
        ),
        "sms_fallback": (
            "Merci {{ prenom }} ! Votre commande {{ numero_commande }} de {{ montant }} est "
            "confirmée. Livraison estimée : {{ date_livraison }}. "
            "Suivi : https://shop.example/commandes/{{ numero_commande }}"
        ),
        "variables": [
            variable("prenom", "Marie"),
            variable("numero_commande", "MR-10482"),
            variable("montant", "89,90 €"),
            variable("date_livraison", "jeudi 14 mai"),
        ],
    },
    "delivery": {
        "name": "Livraison du jour",
        "description": "Le colis arrive : suivi, changement de créneau, appel au livreur.",
        "rcs_content": standalone(
            card(
                image="delivery.jpg",
                height="MEDIUM",
                title="Votre colis arrive aujourd'hui",
                description=(
                    "Bonjour {{ prenom }}, votre colis {{ numero_colis }} sera livré aujourd'hui "
                    "entre {{ creneau }}."
                ),
                buttons=[
                    open_url("Suivre mon colis", "https://shop.example/suivi/{{ numero_colis }}"),
                    open_url(
                        "Changer de créneau",
                        "https://shop.example/suivi/{{ numero_colis }}/creneau",
                    ),
                    dial("Appeler le livreur", "{{ telephone_livreur }}"),
                ],
            )
        ),
        "sms_fallback": (
            "Bonjour {{ prenom }}, votre colis {{ numero_colis }} arrive aujourd'hui entre "
            "{{ creneau }}. Suivre ou changer de créneau : "
            "https://shop.example/suivi/{{ numero_colis }}"
        ),
        "variables": [
            variable("prenom", "Marie"),
            variable("numero_colis", "6A12345678901"),
            variable("creneau", "14h et 16h"),
            variable("telephone_livreur", "+33639981234"),
        ],
    },
    "back_in_stock": {
        "name": "Retour en stock",
        "description": "L'article attendu est de nouveau disponible, avec un lien direct.",
        "rcs_content": standalone(
            card(
                image="back_in_stock.jpg",
                height="MEDIUM",
                title="{{ produit }} est de retour !",
                description=(
                    "Bonne nouvelle {{ prenom }} : l'article que vous attendiez est à nouveau "
                    "disponible. Les quantités sont limitées."
                ),
                buttons=[
                    open_url("Je le veux", "https://shop.example/produits/{{ ref_produit }}"),
                    open_url("Voir la collection", "https://shop.example/nouveautes"),
                    UNSUBSCRIBE,
                ],
            )
        ),
        "sms_fallback": (
            "Bonne nouvelle {{ prenom }} : {{ produit }} est de retour, en quantité limitée. "
            "https://shop.example/produits/{{ ref_produit }}"
        ),
        "variables": [
            variable("prenom", "Marie"),
            variable("produit", "Le cardigan Lina"),
            variable("ref_produit", "cardigan-lina"),
        ],
    },
    "product_launch": {
        "name": "Lancement de collection",
        "description": "Carrousel de trois produits avec images et un bouton chacun.",
        "rcs_content": carousel(
            [
                card(
                    image="launch_1.jpg",
                    title="Collection Lumière",
                    description=(
                        "{{ prenom }}, découvrez en avant-première nos nouvelles lampes, "
                        "dessinées à Lyon."
                    ),
                    buttons=[open_url("Découvrir", "https://shop.example/collection-lumiere")],
                ),
                card(
                    image="launch_2.jpg",
                    title="Lampe Aube",
                    description="Une lumière douce et chaude pour le salon.",
                    buttons=[
                        open_url("Voir la lampe Aube", "https://shop.example/produits/lampe-aube")
                    ],
                ),
                card(
                    image="launch_3.jpg",
                    title="Lampe Zénith",
                    description="Orientable, pour lire et travailler.",
                    buttons=[
                        open_url(
                            "Voir la lampe Zénith", "https://shop.example/produits/lampe-zenith"
                        )
                    ],
                ),
            ],
            chips=[UNSUBSCRIBE],
        ),
        "sms_fallback": (
            "{{ prenom }}, découvrez en avant-première la collection Lumière : nos nouvelles "
            "lampes dessinées à Lyon. https://shop.example/collection-lumiere"
        ),
        "variables": [variable("prenom", "Marie")],
    },
    "abandoned_cart": {
        "name": "Panier abandonné",
        "description": "Rappel du panier en attente, avec un lien pour finaliser la commande.",
        "rcs_content": standalone(
            card(
                image="cart.jpg",
                height="MEDIUM",
                title="{{ prenom }}, votre panier vous attend",
                description=(
                    "{{ produit }} est toujours dans votre panier. Finalisez votre commande "
                    "avant qu'il ne soit plus disponible."
                ),
                buttons=[
                    open_url(
                        "Finaliser ma commande", "https://shop.example/panier/{{ panier_id }}"
                    ),
                    dial("Une question ?", SERVICE_CLIENT),
                    UNSUBSCRIBE,
                ],
            )
        ),
        "sms_fallback": (
            "{{ prenom }}, {{ produit }} vous attend toujours dans votre panier. Finalisez "
            "votre commande : https://shop.example/panier/{{ panier_id }}"
        ),
        "variables": [
            variable("prenom", "Marie"),
            variable("produit", "La lampe Aube"),
            variable("panier_id", "k7f3a2"),
        ],
    },
    "reengagement": {
        "name": "Relance client inactif",
        "description": "Message court avec un code promo et des suggestions de réponse.",
        "rcs_content": text(
            "{{ prenom }}, vous nous avez manqué ! 💙 Profitez de -15 % sur votre prochaine "
            "commande avec le code {{ code_promo }}, valable jusqu'au {{ date_fin }}.",
            chips=[
                open_url("J'en profite", "https://shop.example/?code={{ code_promo }}"),
                open_url("Voir les nouveautés", "https://shop.example/nouveautes"),
                UNSUBSCRIBE,
            ],
        ),
        "sms_fallback": (
            "{{ prenom }}, vous nous avez manqué ! -15 % sur votre prochaine commande avec le "
            "code {{ code_promo }}, jusqu'au {{ date_fin }} : "
            "https://shop.example/?code={{ code_promo }}"
        ),
        "variables": [
            variable("prenom", "Marie"),
            variable("code_promo", "RETOUR15"),
            variable("date_fin", "31 mai"),
        ],
    },
    "appointment": {
        "name": "Rappel de rendez-vous",
        "description": "Rappel avec ajout à l'agenda, itinéraire et lien pour déplacer.",
        "rcs_content": standalone(
            card(
                image="appointment.jpg",
                height="SHORT",
                title="Rappel : rendez-vous {{ date_rdv }} à {{ heure_rdv }}",
                description=(
                    "Bonjour {{ prenom }}, nous vous attendons à la boutique {{ boutique }}. "
                    "Un empêchement ? Déplacez votre rendez-vous en un clic."
                ),
                buttons=[
                    calendar(
                        "Ajouter à mon agenda",
                        start="{{ debut_rdv }}",
                        end="{{ fin_rdv }}",
                        title="Rendez-vous boutique {{ boutique }}",
                        description="{{ adresse_boutique }}",
                    ),
                    view_location("Voir l'itinéraire", "{{ adresse_boutique }}"),
                    open_url(
                        "Déplacer le rendez-vous", "https://shop.example/rendez-vous/{{ ref_rdv }}"
                    ),
                ],
            )
        ),
        "sms_fallback": (
            "Rappel : rendez-vous {{ date_rdv }} à {{ heure_rdv }} à la boutique {{ boutique }}. "
            "Pour le déplacer : https://shop.example/rendez-vous/{{ ref_rdv }}"
        ),
        "variables": [
            variable("prenom", "Marie"),
            variable("date_rdv", "mardi 12 mai"),
            variable("heure_rdv", "15h30"),
            variable("boutique", "Lyon Confluence"),
            variable("adresse_boutique", "112 cours Charlemagne, 69002 Lyon"),
            variable("debut_rdv", "2026-05-12T15:30:00+02:00"),
            variable("fin_rdv", "2026-05-12T16:00:00+02:00"),
            variable("ref_rdv", "r8k2m"),
        ],
    },
}
