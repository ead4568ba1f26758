"""Word lists and shares that the demo's organisations, places and topics come from."""

from __future__ import annotations

# fmt: off
PLACES = (
    "des Causses", "du Lauragais", "de l'Aveyron", "du Quercy", "des Cévennes",
    "du Larzac", "de la Montagne Noire", "du Gers", "de Gascogne", "du Tarn",
    "des Corbières", "du Minervois", "du Roussillon", "de l'Aubrac", "du Comminges",
    "des Pyrénées", "de la Lomagne", "du Ségala", "de l'Hérault", "du Rouergue",
    "de Camargue", "du Pic Saint-Loup", "de la Garonne", "du Lot", "de l'Ariège",
    "du Biterrois", "des Grands Causses", "du Vallespir", "de Lacaune", "du Volvestre",
    "de l'Albigeois", "du Castrais", "du Fenouillèdes", "des Garrigues", "du Razès",
)
FAMILIES = (
    "Maury", "Castan", "Fabre", "Rouquette", "Vidal", "Bonnafous", "Calmels", "Delmas",
    "Pujol", "Sabatier", "Cabanes", "Bousquet", "Granier", "Teisseire", "Marty",
    "Audouy", "Lacombe", "Cayrol", "Rigal", "Bessière", "Combes", "Alibert", "Mazars",
    "Soulié", "Vergnes", "Couderc", "Roques", "Puech", "Barthe", "Carrière", "Estève",
    "Gaubert", "Lagarde", "Molinier", "Pagès", "Raynal", "Séguret", "Valette",
    "Viguier", "Azéma", "Cros", "Falguière", "Jammes", "Lafon", "Mialhe",
)
# Family names of organisations that are not members: never the same as members'.
OTHER_FAMILIES = (
    "Andrieu", "Baylac", "Cassagne", "Dardé", "Escande", "Fonvieille", "Galtier",
    "Hébrard", "Izard", "Jougla", "Lasserre", "Mirouze", "Nègre", "Ourliac", "Palous",
    "Quintard", "Rouanet", "Sicard", "Taillefer", "Ustou", "Vaissière", "Xatart",
)
CITIES = (
    "Toulouse", "Montpellier", "Rodez", "Albi", "Auch", "Montauban", "Carcassonne",
    "Perpignan", "Nîmes", "Béziers", "Castres", "Cahors", "Tarbes", "Millau",
    "Narbonne", "Foix", "Mende", "Figeac",
)
SECTOR_STEMS = {  # sector: words that start a company name (none: a tech name)
    "produits laitiers": ("Laiterie", "Fromagerie", "Crèmerie"),
    "boulangerie-biscuiterie": ("Biscuiterie", "Boulangerie", "Minoterie"),
    "vins et spiritueux": ("Domaine", "Vignobles", "Distillerie"),
    "viandes et salaisons": ("Salaisons", "Charcuterie", "Maison"),
    "fruits et légumes": ("Vergers", "Conserverie", "Jardins"),
    "emballage": ("Emballages", "Cartonnages"),
    "produits biologiques": ("Ferme", "Terres Bio"),
    "équipements et process": ("Ateliers", "Chaudronnerie", "Inox"),
    "logistique": ("Transports", "Entrepôts"),
    "ingrédients et arômes": ("Arômes", "Huilerie", "Moulin"),
    "agritech": (),
    "numérique et data": (),
}
SECTORS = tuple(SECTOR_STEMS)
SECTOR_P = (0.13, 0.1, 0.12, 0.09, 0.1, 0.07, 0.08, 0.07, 0.04, 0.07, 0.09, 0.04)
STARTUP_SECTORS = ("ingrédients et arômes", "agritech", "numérique et data")
TECH = (
    ("Agro", "Agri", "Food", "Nutri", "Terra", "Occi", "Vita", "Green", "Smart"),
    ("Tech", "Lab", "Data", "Sense", "Logic", "Vision", "Soft", "Innov"),
    ("Solutions", "Systems", "Services"),
    ("SAS", "SARL", "SA"),
)
COINED = (
    "Mycovia", "Insectis", "Algaya", "Fermentia", "Protéor", "Veggo", "Nutrio",
    "Cropsy", "Graineo", "Sporéa", "Biomi", "Aquaterre", "Fruitly", "Levurix",
    "Agrinum", "Pollinis", "Hydroc", "Vitalgue", "Okara", "Semeo",
)
COINED_TAILS = ("", " Lab", " Foods", " Tech", " Biotech", " Robotics")
LABS = (
    "Laboratoire de génie agroalimentaire", "Unité Qualité des aliments",
    "Centre technique agroalimentaire", "Plateforme d'innovation alimentaire",
)
OTHER_TYPES = {
    "research_lab": (
        "INRAE Occitanie-Toulouse", "INRAE Occitanie-Montpellier",
        "Institut Agro Montpellier", "Toulouse INP-ENSAT",
        "Université de Perpignan – BAE",
        *(f"{lab} – {city}" for lab in LABS for city in CITIES[:8]),
    ),
    "training_centre": (
        *(f"Lycée agricole de {c}" for c in CITIES),
        *(f"CFA agroalimentaire de {c}" for c in CITIES[:10]),
        *(f"MFR {p}" for p in PLACES[:12]),
    ),
    "funder": tuple(
        f"{a} {b}" for a in ("Fonds", "Caisse", "Réseau d'investisseurs")
        for b in ("Sud Agro", "Occitanie Innovation", "Terroirs d'Oc", "Agri-Capital",
                  "Méditerranée Invest", "Garonne Capital", "Pyrénées Participations")
    ),
    "public_body": (
        *(f"Communauté de communes {p}" for p in PLACES),
        *(f"CCI de {c}" for c in CITIES),
    ),
    "association": tuple(
        f"Association des {who} {p}"
        for who in ("producteurs", "fromagers", "vignerons", "maraîchers", "éleveurs")
        for p in PLACES
    ),
    "large_company": (
        *(f"Groupe {f}" for f in FAMILIES),
        *(f"Coopérative agricole {p}" for p in PLACES),
        *(f"{f} Alimentaire" for f in FAMILIES),
    ),
}
TYPES = ("sme", "startup", "large_company", "research_lab", "training_centre",
          "funder", "public_body", "association")
TYPE_P = (0.62, 0.09, 0.08, 0.07, 0.05, 0.03, 0.03, 0.03)
TYPE_SECTOR = {"research_lab": "recherche", "training_centre": "formation",
                "funder": "financement", "public_body": "collectivité",
                "association": "filière"}
FOREIGN = {  # country: (regions, name stems, places, legal form)
    "ES": (("Catalunya", "Aragón", "Comunitat Valenciana"),
           ("Lácteos", "Conservas", "Bodegas", "Embutidos", "Aceites", "Envases"),
           ("del Pirineo", "de Lleida", "del Ebro", "de Girona", "del Montseny"), "SL"),
    "IT": (("Lombardia", "Emilia-Romagna", "Piemonte"),
           ("Caseificio", "Salumificio", "Pastificio", "Oleificio", "Imballaggi"),
           ("Lombardo", "Padano", "del Garda", "Valtellina", "Emiliano"), "Srl"),
    "BE": (("Wallonie", "Bruxelles-Capitale", "Vlaanderen"),
           ("Biscuiterie", "Laiterie", "Brasserie", "Chocolaterie", "Emballages"),
           ("Wallonne", "de l'Ourthe", "du Condroz", "de Namur", "des Ardennes"), "SA"),
    "DE": (("Bayern", "Baden-Württemberg", "Nordrhein-Westfalen"),
           ("Molkerei", "Bäckerei", "Verpackung", "Agrartechnik", "Feinkost"),
           ("Schwaben", "Allgäu", "Franken", "Rheinland", "Breisgau"), "GmbH"),
    "MA": (("Souss-Massa", "Casablanca-Settat", "Fès-Meknès"),
           ("Huilerie", "Conserverie", "Agrumes", "Dattes", "Laiterie"),
           ("du Souss", "de l'Atlas", "de Meknès", "du Tadla", "de Berkane"), "SARL"),
    "CH": (("Vaud", "Genève", "Valais"),
           ("Fromagerie", "Chocolaterie", "Laiterie", "Agrotech", "Emballages"),
           ("du Jura", "Lémanique", "du Valais", "de Gruyère", "Vaudois"), "SA"),
}
FOREIGN_P = (0.3, 0.2, 0.15, 0.1, 0.15, 0.1)
FR_REGIONS = ("Occitanie", "Nouvelle-Aquitaine", "Provence-Alpes-Côte d'Azur",
               "Auvergne-Rhône-Alpes")
FR_REGION_P = (0.82, 0.07, 0.06, 0.05)
TOPICS = (
    "emballages biosourcés", "IA et qualité", "export vers l'Espagne",
    "anti-gaspillage", "financement de l'innovation", "crédit d'impôt recherche",
    "sécurité des aliments", "Nutri-Score et reformulation", "décarbonation des usines",
    "eau et procédés", "protéines végétales", "marketing des produits du terroir",
    "attractivité des métiers", "cybersécurité en PME", "agriculture régénératrice",
    "RSE et CSRD", "traçabilité", "circuits courts", "vins sans alcool",
    "fermentation de précision", "maintenance prédictive", "export vers l'Italie",
    "appels à projets européens", "robotique en atelier", "loi EGalim",
    "ferments et probiotiques", "jumeaux numériques", "vente en ligne",
    "étiquetage environnemental", "énergie et sobriété",
)
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre")
# fmt: on
