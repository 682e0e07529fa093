"""Place names: patient wording (FR/EN) -> registry names, and registry country names in French."""
from __future__ import annotations

from bot.trials.text import fold

# Registry (English) country name -> French name, and the words patients use for it.
COUNTRIES: dict[str, tuple[str, str]] = {
    "France": ("France", "france"),
    "Belgium": ("Belgique", "belgique|belgium"),
    "Switzerland": ("Suisse", "suisse|switzerland"),
    "Germany": ("Allemagne", "allemagne|germany"),
    "Spain": ("Espagne", "espagne|spain"),
    "Italy": ("Italie", "italie|italy"),
    "United Kingdom": ("Royaume-Uni", "royaume uni|angleterre|grande bretagne|united kingdom|england|great britain|uk"),
    "United States": ("États-Unis", "etats unis|amerique|united states|usa|america"),
    "Canada": ("Canada", "canada"),
    "China": ("Chine", "chine|china"),
    "Japan": ("Japon", "japon|japan"),
    "South Korea": ("Corée du Sud", "coree du sud|coree|south korea|korea"),
    "Australia": ("Australie", "australie|australia"),
    "Netherlands": ("Pays-Bas", "pays bas|hollande|netherlands|holland"),
    "Luxembourg": ("Luxembourg", "luxembourg"),
    "Portugal": ("Portugal", "portugal"),
    "Austria": ("Autriche", "autriche|austria"),
    "Denmark": ("Danemark", "danemark|denmark"),
    "Sweden": ("Suède", "suede|sweden"),
    "Norway": ("Norvège", "norvege|norway"),
    "Poland": ("Pologne", "pologne|poland"),
    "Israel": ("Israël", "israel"),
    "Brazil": ("Brésil", "bresil|brazil"),
    "Taiwan": ("Taïwan", "taiwan"),
    "Hong Kong": ("Hong Kong", "hong kong"),
    "Czechia": ("Tchéquie", "tchequie|republique tcheque|czechia|czech republic"),
    "Hungary": ("Hongrie", "hongrie|hungary"),
    "Ireland": ("Irlande", "irlande|ireland"),
    "Greece": ("Grèce", "grece|greece"),
    "Russian Federation": ("Russie", "russie|russia"),
    "Turkey": ("Turquie", "turquie|turkey|turkiye"),
    "Singapore": ("Singapour", "singapour|singapore"),
    "New Zealand": ("Nouvelle-Zélande", "nouvelle zelande|new zealand"),
    "Mexico": ("Mexique", "mexique|mexico"),
    "Chile": ("Chili", "chili|chile"),
    "Bulgaria": ("Bulgarie", "bulgarie|bulgaria"),
    "Serbia": ("Serbie", "serbie|serbia"),
    "Slovakia": ("Slovaquie", "slovaquie|slovakia"),
    "Ukraine": ("Ukraine", "ukraine"),
    "Puerto Rico": ("Porto Rico", "porto rico|puerto rico"),
    "Guam": ("Guam", "guam"),
    "Argentina": ("Argentine", "argentine|argentina"),
    "India": ("Inde", "inde|india"),
    "Finland": ("Finlande", "finlande|finland"),
    "Romania": ("Roumanie", "roumanie|romania"),
    "Morocco": ("Maroc", "maroc|morocco"),
    "Tunisia": ("Tunisie", "tunisie|tunisia"),
    "Algeria": ("Algérie", "algerie|algeria"),
    "Lebanon": ("Liban", "liban|lebanon"),
}

# City as the registry spells it -> (country, patient wording). French cities first.
CITIES: dict[str, tuple[str, str]] = {
    "Paris": ("France", "paris"),
    "Saint-Cloud": ("France", "saint cloud|st cloud"),
    "Orsay": ("France", "orsay"),
    "Villejuif": ("France", "villejuif"),
    "Lyon": ("France", "lyon"),
    "Marseille": ("France", "marseille"),
    "Toulouse": ("France", "toulouse"),
    "Bordeaux": ("France", "bordeaux"),
    "Lille": ("France", "lille"),
    "Nantes": ("France", "nantes"),
    "Strasbourg": ("France", "strasbourg"),
    "Montpellier": ("France", "montpellier"),
    "Nice": ("France", "a nice|ville de nice|nice france"),  # "nice" alone is English
    "Rennes": ("France", "rennes"),
    "Reims": ("France", "reims"),
    "Dijon": ("France", "dijon"),
    "Grenoble": ("France", "grenoble"),
    "Angers": ("France", "angers"),
    "Le Mans": ("France", "le mans"),
    "Caen": ("France", "caen"),
    "Rouen": ("France", "rouen"),
    "Tours": ("France", "a tours|ville de tours|tours france"),  # "tours" alone is a word
    "Brest": ("France", "brest"),
    "Clermont-Ferrand": ("France", "clermont ferrand"),
    "Besançon": ("France", "besancon"),
    "Nancy": ("France", "nancy"),
    "Limoges": ("France", "limoges"),
    "Poitiers": ("France", "poitiers"),
    "Saint-Étienne": ("France", "saint etienne"),
    "Brussels": ("Belgium", "bruxelles|brussels"),
    "Geneva": ("Switzerland", "geneve|geneva"),
    "Lausanne": ("Switzerland", "lausanne"),
    "London": ("United Kingdom", "londres|london"),
    "Boston": ("United States", "boston"),
    "New York": ("United States", "new york"),
}

# Facility name -> patient wording. "chez vous" and friends mean the center the bot speaks for.
FACILITIES: dict[str, str] = {
    "Institut Curie": "institut curie|curie|chez vous|dans votre centre|dans votre hopital|a votre hopital|"
    "at your center|at your centre|at your hospital",
    "Gustave Roussy": "gustave roussy|igr",
    "Centre Léon Bérard": "centre leon berard|leon berard",
    "Institut Bergonié": "institut bergonie|bergonie",
    "IUCT Oncopole": "oncopole|iuct",
    "Institut du Cancer de Montpellier": "val d aurelle|icm montpellier",
    "AP-HP": "ap hp|aphp|assistance publique",
}


# Older registry spellings -> the current ClinicalTrials.gov name, so both index alike.
COUNTRY_ALIASES = {
    "Korea, Republic of": "South Korea", "Czech Republic": "Czechia", "Türkiye": "Turkey",
    "Turkiye": "Turkey", "Russia": "Russian Federation",
}


def canonical_country(name: str) -> str:
    return COUNTRY_ALIASES.get(name.strip(), name.strip())


def country_in_french(name: str) -> str:
    return COUNTRIES.get(canonical_country(name), (name, ""))[0]


def place_phrases() -> list[tuple[str, str]]:
    """(folded phrase, "country:<name>" | "city:<name>" | "facility:<name>") for the matcher."""
    out: list[tuple[str, str]] = []
    for name, (_, says) in COUNTRIES.items():
        out += [(fold(s), f"country:{name}") for s in says.split("|") if s]
    for name, (_, says) in CITIES.items():
        out += [(fold(s), f"city:{name}") for s in says.split("|")]
    for name, says in FACILITIES.items():
        out += [(fold(s), f"facility:{name}") for s in says.split("|")]
    return out


def city_country(city: str) -> str | None:
    return CITIES.get(city, (None, ""))[0]


def normalise_city(name: str) -> str:
    """Folded city without postal noise: "Villejuif Cedex" -> "villejuif", "Paris 13" -> "paris"."""
    words = [w for w in fold(name).split() if w != "cedex" and not w.isdigit()]
    return " ".join(words)
