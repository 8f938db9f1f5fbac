"""Realistic distractor documents for scale tests: synthetic Shanghai policy notices.

Each notice is plain English in the shape of a real municipal notice: a title, an issuing
bureau, a preamble and numbered articles (purpose, scope, responsibilities, applications,
subsidies, inspections, penalties, entry into force) about a topic *other* than digital trade.
Their wording overlaps the plan's (municipal bureaus, districts, Pudong, enterprises, services,
platforms, pilot zones), so they compete for retrieval the way real neighbouring documents
would; lorem ipsum would not. Generation is deterministic for a given seed.
"""

from __future__ import annotations

import random
from pathlib import Path

ISSUERS = [
    "Shanghai Municipal Commission of Housing and Urban-Rural Development",
    "Shanghai Municipal Health Commission",
    "Shanghai Municipal Bureau of Ecology and Environment",
    "Shanghai Municipal Education Commission",
    "Shanghai Municipal Transportation Commission",
    "Shanghai Municipal Civil Affairs Bureau",
    "Shanghai Municipal Bureau of Agriculture and Rural Affairs",
    "Shanghai Municipal Administration of Culture and Tourism",
    "Shanghai Municipal Human Resources and Social Security Bureau",
    "Shanghai Municipal Water Authority",
    "Shanghai Municipal Sports Bureau",
    "Shanghai Municipal Bureau of Planning and Natural Resources",
    "Shanghai Municipal Administration for Market Regulation",
    "Shanghai Municipal Emergency Management Bureau",
]

TOPICS = [
    ("elderly care homes", "care home operators", "beds for residents with dementia"),
    ("household waste sorting", "property management companies", "sorting stations in residential compounds"),
    ("rooftop solar installations", "building owners", "photovoltaic panels on public buildings"),
    ("community health centres", "community health centres", "family doctor contracts"),
    ("school canteen food safety", "school canteens", "food sample retention"),
    ("electric bus charging", "bus operators", "overnight charging depots"),
    ("urban tree planting", "district greening bureaus", "street trees along arterial roads"),
    ("flood control along the Huangpu River", "river management stations", "floodwall inspections"),
    ("public library opening hours", "district libraries", "evening reading rooms"),
    ("vocational skills subsidies", "training institutions", "certified skills courses"),
    ("rental housing for young professionals", "housing rental enterprises", "affordable rental units"),
    ("farmland irrigation", "agricultural cooperatives", "water-saving irrigation channels"),
    ("museum ticketing", "museums and memorial halls", "timed-entry reservations"),
    ("marathon and road race permits", "event organisers", "road closure plans"),
    ("construction site dust control", "construction contractors", "dust monitoring devices"),
    ("childcare centres for children under three", "childcare providers", "nursery places"),
    ("rural homestays", "homestay operators", "fire safety equipment in guest rooms"),
    ("night-time noise in residential areas", "entertainment venues", "noise limits after 22:00"),
    ("shared bicycle parking", "bicycle-sharing companies", "parking zones near metro stations"),
    ("drinking water quality", "water supply companies", "secondary water supply tanks"),
    ("barrier-free access", "public venues", "ramps and accessible lifts"),
    ("cold-chain food storage", "cold storage operators", "temperature records"),
    ("pet registration", "pet owners", "rabies vaccination certificates"),
    ("parking fees at hospitals", "hospitals", "short-stay parking spaces"),
]

DISTRICTS = [
    "Huangpu District",
    "Xuhui District",
    "Changning District",
    "Jing'an District",
    "Putuo District",
    "Hongkou District",
    "Yangpu District",
    "Minhang District",
    "Baoshan District",
    "Jiading District",
    "Jinshan District",
    "Songjiang District",
    "Qingpu District",
    "Fengxian District",
    "Chongming District",
    "Pudong New Area",
]

_ARTICLES = [
    (
        "Purpose",
        [
            "These Measures are formulated to improve the management of {topic} in this Municipality "
            "and to protect the lawful rights and interests of residents.",
            "They are based on the relevant national laws and regulations and the actual conditions of Shanghai.",
        ],
    ),
    (
        "Scope",
        [
            "These Measures apply to {actors} operating within the administrative area of this Municipality.",
            "Activities in {district} that are governed by separate rules follow those rules.",
        ],
    ),
    (
        "Responsibilities",
        [
            "The {issuer} is responsible for the overall coordination of {topic}.",
            "District governments organise implementation within their districts and designate a contact office.",
            "Departments of finance, market regulation and public security cooperate within their respective duties.",
        ],
    ),
    (
        "Targets",
        [
            "By {year}, the number of {facility} shall reach {count} across the Municipality.",
            "Coverage in suburban districts shall rise to {percent} percent of eligible neighbourhoods.",
        ],
    ),
    (
        "Applications",
        [
            "{actors_cap} shall submit an application through the municipal government service platform.",
            "The application shall include a business licence, a site plan and a written safety commitment.",
            "The competent department shall decide within {days} working days of receiving a complete application.",
        ],
    ),
    (
        "Subsidies",
        [
            "Eligible projects may receive a one-off subsidy of up to {amount} yuan for {facility}.",
            "Subsidies are paid after acceptance inspection and are published on the department's website "
            "for {days} days.",
        ],
    ),
    (
        "Inspection",
        [
            "The {issuer} carries out random inspections of {actors} at least {times} times a year.",
            "Inspection results are entered in the public credit information platform of this Municipality.",
        ],
    ),
    (
        "Complaints",
        [
            "Residents may report problems concerning {topic} through the 12345 citizen service hotline.",
            "The department receiving a report shall reply within {days} working days.",
        ],
    ),
    (
        "Penalties",
        [
            "Where {actors} fail to correct a violation within the time limit, a fine of not less than "
            "{fine_low} yuan and not more than {fine_high} yuan may be imposed.",
            "Serious violations are recorded as untrustworthy conduct in accordance with the law.",
        ],
    ),
    (
        "Training",
        [
            "The {issuer} organises annual training on {topic} for staff of {actors}.",
            "Training materials are published in Chinese and English on the municipal portal.",
        ],
    ),
    (
        "Data reporting",
        [
            "{actors_cap} shall report operating data on {facility} every quarter.",
            "Reported data are used only for supervision and statistics and are protected in accordance with the law.",
        ],
    ),
    (
        "Pilot districts",
        [
            "{district} is designated as a pilot district for {topic} and shall report on its experience by {year}.",
            "Successful practices are promoted throughout the Municipality after evaluation.",
        ],
    ),
]

_FINAL = (
    "Entry into force",
    [
        "These Measures take effect on {start} and remain valid until {end}.",
        "The {issuer} is responsible for interpreting these Measures.",
    ],
)


def notice_text(index: int, seed: int = 7) -> tuple[str, str]:
    """One synthetic notice: (file name, markdown text). Deterministic for (index, seed)."""
    rng = random.Random(seed * 100_003 + index)
    topic, actors, facility = TOPICS[index % len(TOPICS)]
    issuer = ISSUERS[rng.randrange(len(ISSUERS))]
    district = DISTRICTS[rng.randrange(len(DISTRICTS))]
    year = rng.choice([2026, 2027, 2028, 2029, 2030])
    values = {
        "topic": topic,
        "actors": actors,
        "actors_cap": actors[0].upper() + actors[1:],
        "facility": facility,
        "issuer": issuer,
        "district": district,
        "year": year,
        "count": rng.choice([300, 500, 800, 1200, 2000, 5000]),
        "percent": rng.choice([60, 70, 75, 80, 85, 90, 95]),
        "days": rng.choice([5, 7, 10, 15, 20, 30]),
        "amount": f"{rng.choice([5, 10, 20, 50, 100, 200, 300]) * 10_000:,}",
        "times": rng.choice([2, 3, 4, 6]),
        "fine_low": f"{rng.choice([1, 2, 5]) * 1000:,}",
        "fine_high": f"{rng.choice([10, 20, 30, 50]) * 1000:,}",
        "start": f"{year - 2}-{rng.randint(1, 12):02d}-01",
        "end": f"{year + 3}-12-31",
    }
    articles = [_ARTICLES[0], _ARTICLES[1], _ARTICLES[2]] + rng.sample(_ARTICLES[3:], k=rng.randint(5, 8)) + [_FINAL]
    title = f"Measures of Shanghai Municipality on {topic[0].upper() + topic[1:]} (No. {index + 1})"
    lines = [
        f"# {title}",
        "",
        f"Issued by the {issuer}. Serial number Hu-{year - 2}-{index + 1:04d}.",
        "",
    ]
    for number, (heading, sentences) in enumerate(articles, 1):
        body = " ".join(s.format(**values) for s in sentences)
        lines += [f"Article {number} {heading}. {body}", ""]
    slug = topic.replace(" ", "-").replace("'", "")
    return f"notice-{index + 1:04d}-{slug}.md", "\n".join(lines)


def write_notices(target: Path, count: int, seed: int = 7, start: int = 0) -> list[Path]:
    """Write ``count`` notices into ``target``; returns their paths."""
    target.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(start, start + count):
        name, text = notice_text(index, seed)
        path = target / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def write_repetitive_pdf(path: Path, pages: int, seed: int = 11) -> Path:
    """A long PDF of near-identical port-notice articles (the "drowning" document of the
    hostile-documents issue): every page repeats the same few sentences with other numbers."""
    from tests.docfactory import write_pdf_pages  # the tests' raw PDF writer: no PDF library needed

    rng = random.Random(seed)
    texts = []
    for page in range(pages):
        texts.append(
            [
                f"Article {page + 1} Vessels calling at the port shall file a berthing notice "
                f"{rng.choice([12, 24, 48, 72])} hours before arrival at terminal {rng.randint(1, 9)}.",
                f"The harbour office publishes the berth schedule for terminal {rng.randint(1, 9)} every "
                f"{rng.choice(['Monday', 'Tuesday', 'Friday'])} on the port's service platform.",
                f"Operators shall keep cargo handling records for {rng.choice([2, 3, 5])} years and submit "
                "them to the port authority upon request.",
                f"A fee of {rng.choice([200, 500, 800])} yuan applies to late notices under this Article.",
            ]
        )
    return write_pdf_pages(path, texts)
