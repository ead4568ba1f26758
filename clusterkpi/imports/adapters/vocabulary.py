"""Words people type for categories, in French and English, mapped to canonical values."""

from __future__ import annotations

from clusterkpi.imports.fields import UNKNOWN_CATEGORY

MEMBER_TYPES = {
    "PME": "sme", "TPE": "sme", "PMI": "sme", "Petite et moyenne entreprise": "sme",
    "SME": "sme", "Small business": "sme",
    # Says a company, not its size: stored as of unknown type, never as an SME.
    "Entreprise": UNKNOWN_CATEGORY, "Company": UNKNOWN_CATEGORY,
    "ETI": "large_company", "Grande entreprise": "large_company",
    "Grand groupe": "large_company", "Groupe": "large_company",
    "Large company": "large_company", "Large enterprise": "large_company",
    "Start-up": "startup", "Startup": "startup", "Jeune pousse": "startup",
    "Laboratoire": "research_lab", "Labo": "research_lab",
    "Laboratoire de recherche": "research_lab",
    "Centre de recherche": "research_lab", "Organisme de recherche": "research_lab",
    "Université": "research_lab", "Research lab": "research_lab", "Research centre": "research_lab",
    "Research center": "research_lab", "University": "research_lab",
    "Centre de formation": "training_centre", "Organisme de formation": "training_centre",
    "École": "training_centre", "Lycée": "training_centre", "Formation": "training_centre",
    "Training centre": "training_centre", "Training center": "training_centre",
    "School": "training_centre",
    "Financeur": "funder", "Banque": "funder", "Investisseur": "funder", "Funder": "funder",
    "Investor": "funder", "Bank": "funder",
    "Collectivité": "public_body", "Organisme public": "public_body",
    "Acteur public": "public_body",
    "Institution publique": "public_body", "Public body": "public_body",
    "Public authority": "public_body", "Administration": "public_body",
    "Association": "association", "Fédération": "association", "Syndicat": "association",
    "Federation": "association",
}  # fmt: skip
MEMBER_TYPES.update({v: v for v in set(MEMBER_TYPES.values()) - {UNKNOWN_CATEGORY}})

COUNTRIES = {
    "France": "FR", "Espagne": "ES", "Spain": "ES", "España": "ES", "Italie": "IT",
    "Italy": "IT", "Italia": "IT", "Belgique": "BE", "Belgium": "BE", "Allemagne": "DE",
    "Germany": "DE", "Deutschland": "DE", "Maroc": "MA", "Morocco": "MA", "Suisse": "CH",
    "Switzerland": "CH", "Royaume-Uni": "GB", "United Kingdom": "GB", "UK": "GB",
    "Portugal": "PT", "Pays-Bas": "NL", "Netherlands": "NL", "Luxembourg": "LU",
    "Tunisie": "TN", "Tunisia": "TN", "Algérie": "DZ", "Algeria": "DZ", "Canada": "CA",
    "États-Unis": "US", "Etats-Unis": "US", "United States": "US", "USA": "US",
    "Irlande": "IE", "Ireland": "IE", "Autriche": "AT", "Austria": "AT", "Pologne": "PL",
    "Poland": "PL", "Suède": "SE", "Sweden": "SE", "Danemark": "DK", "Denmark": "DK",
    "Grèce": "GR", "Greece": "GR", "Roumanie": "RO", "Romania": "RO", "Japon": "JP",
    "Japan": "JP", "Chine": "CN", "China": "CN", "Brésil": "BR", "Brazil": "BR",
    "Sénégal": "SN", "Senegal": "SN", "Côte d'Ivoire": "CI", "Québec": "CA",
}  # fmt: skip
COUNTRIES.update({code: code for code in set(COUNTRIES.values())})

EVENT_KINDS = {
    "Assemblée générale": "general_assembly", "AG": "general_assembly",
    "General assembly": "general_assembly", "AGM": "general_assembly",
    "Atelier": "workshop", "Workshop": "workshop", "Webinaire": "webinar", "Webinar": "webinar",
    "Conférence": "conference", "Conference": "conference", "Colloque": "conference",
    "Networking": "networking", "Rencontre": "networking", "Afterwork": "networking",
    "Formation": "training", "Training": "training", "Rendez-vous d'affaires": "b2b_meeting",
    "B2B": "b2b_meeting", "Convention d'affaires": "b2b_meeting", "Salon": "trade_show",
    "Trade show": "trade_show", "Exposition": "trade_show",
}  # fmt: skip
EVENT_KINDS.update({v: v for v in set(EVENT_KINDS.values())})
EVENT_KIND_CODES = (
    "workshop",
    "webinar",
    "conference",
    "networking",
    "training",
    "b2b_meeting",
    "trade_show",
    "general_assembly",
)

TONES = {
    "Positif": "positive", "Positive": "positive", "Neutre": "neutral", "Neutral": "neutral",
    "Négatif": "negative", "Negative": "negative",
}  # fmt: skip

INTERACTION_KINDS = {
    "Rendez-vous": "meeting", "Réunion": "meeting", "Rencontre": "meeting", "Visite": "meeting",
    "Meeting": "meeting", "Appel": "call", "Téléphone": "call", "Call": "call",
    "Phone call": "call", "B2B": "b2b_meeting", "Rendez-vous B2B": "b2b_meeting",
    "B2B meeting": "b2b_meeting", "Demande entrante": "inbound_request",
    "Demande": "inbound_request", "Inbound request": "inbound_request",
    "Request": "inbound_request", "Contact salon": "event_contact",
    "Contact événement": "event_contact", "Event contact": "event_contact",
}  # fmt: skip
INTERACTION_KINDS.update({v: v for v in set(INTERACTION_KINDS.values())})

MATERIAL_KINDS = {
    "Lettre d'information": "newsletter", "Newsletter": "newsletter",
    "Brochure": "brochure", "Plaquette": "brochure", "Flyer": "brochure",
    "Vidéo": "video", "Video": "video", "Communiqué de presse": "press_release",
    "Communiqué": "press_release", "Press release": "press_release",
    "Témoignage": "success_story", "Success story": "success_story",
    "Étude de cas": "case_study", "Case study": "case_study", "Article": "article",
    "Rapport": "report", "Report": "report", "Autre": "other", "Other": "other",
}  # fmt: skip
MATERIAL_KINDS.update({v: v for v in set(MATERIAL_KINDS.values())})

PARTNER_KINDS = {
    "Média": "media", "Media": "media", "Presse": "media", "Institution": "institution",
    "Institutionnel": "institution", "Recherche": "research", "Research": "research",
    "Formation": "training", "Training": "training", "Financeur": "funder", "Funder": "funder",
    "Autre cluster": "other_cluster", "Cluster": "other_cluster", "Pôle": "other_cluster",
    "Other cluster": "other_cluster",
}  # fmt: skip
PARTNER_KINDS.update({v: v for v in set(PARTNER_KINDS.values())})
