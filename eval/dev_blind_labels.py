#!/usr/bin/env python3
"""Build /work/main/eval/dev_blind.jsonl and compute every list label from the plan text.

Run:  python3 dev_blind_labels.py          -> writes dev_blind.jsonl, prints the table
      python3 dev_blind_labels.py --check  -> recomputes labels and diffs against the existing file

Labelling conventions (judgement calls, also listed in the report):
  * Units are taken from each task's "(Responsible units: ...)" list, split at commas, with a
    leading "and " removed. A leading article "the " is dropped, so items read e.g.
    "Municipal Commission of Commerce" (a verbatim substring of the plan).
  * Task 20 lists "Pudong New Area People's Government (Shanghai Pilot Free Trade Zone
    Administration)"; it is counted as "Pudong New Area People's Government".
  * "relevant district people's governments" (tasks 6, 7) and "all district people's
    governments" (task 19) are kept as two different unit entries, and neither is counted as
    a named district government (Pudong, Hongkou, Changning).
  * "Leads"/"is responsible for"/"is on" = is listed among the responsible units; the plan does
    not mark a lead unit. Only questions that say "listed first" use list order.
  * Place questions look at the measure text (task heading + body, NOT the responsible-unit
    list) unless the question explicitly says "as a place or as a responsible unit".
  * Sections: I = 1-4, II = 5-7, III = 8-10, IV = 11-14, V = 15-19, VI = 20-23 (parsed).
"""
import json
import re
import sys
from collections import Counter, defaultdict

PLAN = '/work/main/corpus/shanghai-digital-trade-and-services-plan.txt'
OUT = '/work/main/eval/dev_blind.jsonl'

# ---------------------------------------------------------------- parsing
TEXT = open(PLAN, encoding='utf-8').read().replace('\xa0', ' ')

TASK_RE = re.compile(r'^(\d+)\. (.*?)\(Responsible units: (.*?)\)\s*$', re.M)
SEC_RE = re.compile(r'^(I|II|III|IV|V|VI)\. (.+)$', re.M)

BODY = {}    # task -> heading + measure text (without the unit list)
UNITS = {}   # task -> [canonical unit names, in plan order]
RAW_UNITS = {}
for m in TASK_RE.finditer(TEXT):
    n = int(m.group(1))
    BODY[n] = m.group(2).strip()
    raw = []
    for u in m.group(3).split(','):
        u = re.sub(r'\s+', ' ', u).strip()
        u = re.sub(r'^and ', '', u)
        raw.append(u)
    RAW_UNITS[n] = raw
    canon = []
    for u in raw:
        u = re.sub(r'^the ', '', u)
        u = re.sub(r' \(Shanghai Pilot Free Trade Zone Administration\)$', '', u)
        canon.append(u)
    UNITS[n] = canon
assert sorted(BODY) == list(range(1, 24)), sorted(BODY)

SECTION = {}  # task -> roman numeral
secs = [(m.start(), m.group(1)) for m in SEC_RE.finditer(TEXT)]
for m in TASK_RE.finditer(TEXT):
    cur = [s for pos, s in secs if pos < m.start()][-1]
    SECTION[int(m.group(1))] = cur

ALL_UNITS = sorted({u for us in UNITS.values() for u in us})

# short aliases used by the question specs (each must be an exact canonical unit name)
U = {
    'commerce': 'Municipal Commission of Commerce',
    'econ': 'Municipal Commission of Economy and Informatization',
    'scitech': 'Municipal Commission of Science and Technology',
    'transport': 'Municipal Commission of Transport',
    'comms': 'Municipal Communications Administration',
    'data': 'Municipal Data Bureau',
    'cac': 'Office of the Municipal Cyberspace Affairs Commission',
    'ip': 'Municipal Intellectual Property Administration',
    'customs': 'Shanghai Customs',
    'caac': 'CAAC East China Regional Administration',
    'pudong': "Pudong New Area People's Government",
    'lingang': 'Lin-gang Special Area Administrative Committee',
    'hongqiao': 'Hongqiao International Central Business District Administrative Committee',
    'pboc': "People's Bank of China Shanghai Head Office",
    'safe': 'Shanghai Branch of the State Administration of Foreign Exchange',
    'finoffice': 'Financial Affairs Office of the Municipal Committee of the CPC',
    'sinosure': 'China Export & Credit Insurance Corporation Shanghai Branch',
    'relevantdist': "relevant district people's governments",
    'alldist': "all district people's governments",
    'finreg': 'Shanghai Municipal Financial Regulatory Bureau',
    'secreg': 'Shanghai Securities Regulatory Bureau',
    'publicity': 'Publicity Department of the Municipal Committee of the CPC',
    'culture': 'Municipal Administration of Culture and Tourism',
    'sports': 'Municipal Sports Bureau',
    'msa': 'Shanghai Maritime Safety Administration',
    'hongkou': "Hongkou District People's Government",
    'changning': "Changning District People's Government",
    'eco': 'Municipal Bureau of Ecology and Environment',
    'tax': 'Municipal Tax Service',
    'police': 'Municipal Bureau of Public Security',
    'foreign': "Foreign Affairs Office of the Municipal People's Government",
    'ccpit': 'Municipal Council for the Promotion of International Trade',
}
for k, v in U.items():
    assert v in ALL_UNITS, (k, v)
assert set(U.values()) == set(ALL_UNITS), set(ALL_UNITS) - set(U.values())

# ---------------------------------------------------------------- helpers
def has(unit_key):
    """tasks whose responsible units include the unit"""
    u = U[unit_key]
    return {n for n, us in UNITS.items() if u in us}

def mentions(s):
    """tasks whose measure text (heading + body, not unit list) contains s (case-insensitive)"""
    return {n for n, b in BODY.items() if s.lower() in b.lower()}

def section(r):
    return {n for n, s in SECTION.items() if s == r}

ALL = set(BODY)

def units_of(*tasks):
    out = []
    for n in tasks:
        for u in UNITS[n]:
            if u not in out:
                out.append(u)
    return out

def partners(unit_key):
    """units sharing at least one task with the unit"""
    u = U[unit_key]
    return sorted({x for n in has(unit_key) for x in UNITS[n]} - {u})

def T(s):
    return {'kind': 'tasks', 'items': sorted(s)}

def UL(lst):
    return {'kind': 'units', 'items': list(lst)}

def C(n):
    return {'kind': 'count', 'items': [n]}

UNIT_FREQ = Counter(u for us in UNITS.values() for u in us)

# ---------------------------------------------------------------- questions
# Each entry: (type, question, tasks, expect, list or None, history or None)
# For compound/list items `tasks` is derived from the list label where it is a task list.
Q = []

def add(typ, q, tasks, expect='answer', lst=None, history=None):
    Q.append((typ, q, tasks, expect, lst, history))

def addT(typ, q, s, history=None):
    add(typ, q, sorted(s), 'answer', T(s), history)

# ---- compound (30)
addT('compound', "Which tasks have both the Data Bureau and the CAC office (Office of the Municipal Cyberspace Affairs Commission) on the responsible-unit list?",
     has('data') & has('cac'))
addT('compound', "Which tasks list Shanghai Customs as responsible but not the Lin-gang admin committee?",
     has('customs') - has('lingang'))
add('compound', "How many of the 23 tasks is the Municipal Commission of Commerce responsible for?",
    sorted(has('commerce')), 'answer', C(len(has('commerce'))))
addT('compound', "tasks where Lin-gang Special Area Administrative Committee is a responsible unit but Pudong New Area People's Government isn't?",
     has('lingang') - has('pudong'))
addT('compound', "Where is PBOC Shanghai Head Office responsible without the Financial Affairs Office of the Municipal Committee of the CPC?",
     has('pboc') - has('finoffice'))
add('compound', "Which other units share a task with the Municipal Sports Bureau?",
    sorted(has('sports')), 'answer', UL(partners('sports')))
addT('compound', "Which tasks involve either the transport commission or CAAC East China as a responsible unit?",
     has('transport') | has('caac'))
addT('compound', "In which tasks is STCSM (the Municipal Commission of Science and Technology) responsible while the Commission of Economy and Informatization is not?",
     has('scitech') - has('econ'))
add('compound', "How many tasks is the Hongqiao CBD admin committee responsible for?",
    sorted(has('hongqiao')), 'answer', C(len(has('hongqiao'))))
addT('compound', "In section II (digital ordering trade), which tasks is Shanghai Customs responsible for?",
     section('II') & has('customs'))
addT('compound', "Which section IV tasks does the Lin-gang admin committee co-own?",
     section('IV') & has('lingang'))
n3 = {n for n, us in UNITS.items() if len(us) == 3}
addT('compound', "Which tasks have exactly three responsible units?", n3)
mx = max(len(us) for us in UNITS.values())
addT('compound', "Which task lists the largest number of responsible units?",
     {n for n, us in UNITS.items() if len(us) == mx})
add('compound', "Which units are responsible for task 12 but not for task 13?",
    [12], 'answer', UL([u for u in UNITS[12] if u not in UNITS[13]]))
add('compound', "Which units appear in the responsible-unit lists of both task 6 and task 22?",
    [6, 22], 'answer', UL([u for u in UNITS[6] if u in UNITS[22]]))
addT('compound', "Which tasks actually mention Lin-gang Special Area in the measure itself (not counting the responsible-unit lists)?",
     mentions('Lin-gang'))
addT('compound', "Which tasks name Hongqiao in their text but say nothing about Lin-gang?",
     mentions('Hongqiao') - mentions('Lin-gang'))
addT('compound', "Which tasks mention Pudong New Area in the measure text (not just as a responsible unit)?",
     mentions('Pudong New Area'))
addT('compound', "Which tasks have the financial regulatory bureau or the securities regulatory bureau on them?",
     has('finreg') | has('secreg'))
no_comm = {n for n, us in UNITS.items() if not any(u.startswith('Municipal Commission of') for u in us)}
addT('compound', "Are there tasks where none of the 'Municipal Commission of ...' bodies (Commerce, Economy and Informatization, Science and Technology, Transport) is responsible? Which ones?",
     no_comm)
addT('compound', "Which tasks put district people's governments (the 'relevant' or 'all' district governments) on the hook?",
     has('relevantdist') | has('alldist'))
addT('compound', "Which tasks list the Commerce Commission first among the responsible units?",
     {n for n, us in UNITS.items() if us[0] == U['commerce']})
addT('compound', "Communications Administration is on which tasks that the Data Bureau is not?",
     has('comms') - has('data'))
addT('compound', "which section V tasks does lin-gang admin committee have a hand in",
     section('V') & has('lingang'))
add('compound', "Which units are responsible for task 5 but not for task 7?",
    [5, 7], 'answer', UL([u for u in UNITS[5] if u not in UNITS[7]]))
add('compound', "Who shares tasks with the Municipal Tax Service?",
    sorted(has('tax')), 'answer', UL(partners('tax')))
add('compound', "Which units share at least one task with Sinosure Shanghai (China Export & Credit Insurance Corporation Shanghai Branch)?",
    sorted(has('sinosure')), 'answer', UL(partners('sinosure')))
addT('compound', "Tasks where both the IP administration and the science & technology commission are responsible?",
     has('ip') & has('scitech'))
addT('compound', "Which tasks is Customs on where neither the Pudong government nor the Hongqiao CBD committee is responsible?",
     has('customs') - has('pudong') - has('hongqiao'))
addT('compound', "Which tasks mention special customs supervision zones?",
     mentions('special customs supervision zone'))

# ---- nearmiss (17, partial) + unanswerable (3, refuse)
NM = [
    ("What's the deadline this year for updating the Shanghai Catalogue for the Promotion of Trade in Services, and when is it published?", [15]),
    ("How much subsidy can a small firm get under the plan to support SMEs in trade in services?", [19]),
    ("What documents do I need and how long does it take to get an APEC Business Travel Card under the optimized process?", [21]),
    ("What's the phone number or email of the Lin-gang Special Area Cross-border Data Service Center?", [18]),
    ("Which companies made this year's top 10 Shanghai cultural trade brands list?", [2]),
    ("What specific data categories are on the negative list for cross-border data flow in the Shanghai FTZ?", [20]),
    ("What reduced corporate income tax rate do tech-advanced service enterprises get under this plan?", [15]),
    ("When will the SJC2 submarine cable be finished?", [8]),
    ("What premium rate applies to the cross-border e-commerce credit insurance products mentioned in the plan?", [6]),
    ("Which departments are the member units of the Shanghai Municipal Leading Group for the International Trade Center Construction?", ['closing']),
    ("What's the 2026 interim target for Shanghai's trade in services volume?", ['intro']),
    ("How many PFLOPS will the urban public computing service hubs provide to SMEs, and what does it cost per hour?", [9]),
    ("What are the dates of the next World Artificial Intelligence Conference and how do we book a booth?", [23]),
    ("What's the minimum registered capital for a wholly foreign-owned Internet data center in Lin-gang?", [1]),
    ("How much money is in the national service trade innovation development fund and how do we apply to it?", [19]),
    ("What's the exact address and floor area of the new international data economy industrial park in Lin-gang?", [18]),
    ("Which banks are running the digital RMB global settlement centers, and from what date?", [22]),
]
for q, tk in NM:
    add('nearmiss', q, tk, 'partial')
for q in [
    "What's the minimum wage in Shanghai in 2025?",
    "Can you recommend a good dumpling restaurant near the Bund?",
    "What are the home-purchase restrictions for non-Shanghai residents?",
]:
    add('unanswerable', q, [], 'refuse')

# ---- followup (15)
add('followup', "who's responsible for that one?", [8], 'answer', UL(UNITS[8]),
    ["Is there anything in the plan about submarine cables?"])
add('followup', "and the next task after it?", [14], 'answer', None,
    ["What does the plan say about aircraft leasing?"])
add('followup', "is the data bureau involved in it?", [16], 'answer', None,
    ["Which task covers the DEPA cooperation zone?"])
add('followup', "how much of that is meant to be digitally delivered?", ['intro'], 'answer', None,
    ["What are the 2029 targets in the plan?"])
add('followup', "what about the shipping side — anything on shipping finance and insurance?", [11], 'answer', None,
    ["Tell me about the reinsurance stuff in Lin-gang."])
add('followup', "of those, which ones also involve the Hongqiao CBD committee?",
    sorted(has('customs') & has('hongqiao')), 'answer', T(has('customs') & has('hongqiao')),
    ["Which tasks does Shanghai Customs have a hand in?"])
add('followup', "how many units are responsible for it?", [17], 'answer', C(len(UNITS[17])),
    ["What does task 17 cover?"])
add('followup', "ok and on the export side, is there any financial help for small sellers?", [6], 'answer', None,
    ["What does the plan say about returns of cross-border e-commerce goods?"])
s3 = section('III') & (mentions('Hongqiao') | has('hongqiao'))
add('followup', "which of those tasks involve Hongqiao, either as a place or as a responsible unit?",
    sorted(s3), 'answer', T(s3), ["What's in section III of the plan?"])
other_culture = has('culture') - {23}
add('followup', "is the culture and tourism administration on any other task?",
    sorted(other_culture), 'answer', T(other_culture),
    ["Which task talks about ChinaJoy?", "Who is responsible for it?"])
ebl = mentions('bills of lading')
add('followup', "which tasks exactly?", sorted(ebl), 'answer', T(ebl),
    ["Does the plan mention electronic bills of lading?"])
add('followup', "and the visa bits in that same task?", [21], 'answer', None,
    ["What is the Oriental Hub International Business Cooperation Zone about?"])
add('followup', "which unit besides commerce and sci-tech handles it?", [14], 'answer',
    UL([u for u in UNITS[14] if u not in (U['commerce'], U['scitech'])]),
    ["Anything on carbon trading?"])
add('followup', "who's in charge of that?", [19], 'answer', UL(UNITS[19]),
    ["Which task is about the Yangshupu Digital Trade Valley?"])
bc3 = section('III') & mentions('blockchain')
add('followup', "which one of them mentions blockchain?", sorted(bc3), 'answer', None,
    ["Which section deals with digital infrastructure?", "What tasks are in it?"])

# ---- multipolicy (15)
MP = [
    ("We sell cosmetics and small electronics with batteries cross-border by air, and as a small seller the foreign exchange paperwork kills us. What in the plan helps?", [5, 6]),
    ("AI startup here: we need affordable computing power and we'd like to show our product at WAIC. Which parts of the plan are relevant?", [9, 23]),
    ("We're a game studio: we export our games abroad, want to bring unreleased foreign games to a Shanghai festival for preview, and exhibit at ChinaJoy. What applies?", [2, 23]),
    ("We're a foreign investor planning a wholly foreign-owned Internet data center in Lin-gang, and we'll need to move customer data out of the FTZ. Which tasks apply?", [1, 20]),
    ("We operate an air cargo terminal that handles cross-border e-commerce parcels and want to plug into a shared air cargo information platform. What's in the plan for us?", [5, 11]),
    ("Aircraft leasing company: we also trade used engines and simulators and want to bring in foreign engineers for aviation training. Which tasks matter?", [13, 21]),
    ("We're a biotech CRO importing R&D materials, and our parent company wants to issue Panda Bonds in Shanghai. What applies to us?", [3, 12]),
    ("Green tech SME: we import carbon-reduction technology, want to develop carbon finance products, and are looking for an incubator in our district. Which tasks are relevant?", [14, 19]),
    ("Our treasury team wants to pool cross-border funds for our digital services business and settle via CIPS. What covers that?", [12, 22]),
    ("We're a management consultancy exporting services; we want to get into the trade-in-services promotion catalogue, help draft international standards, and exhibit at CIFTIS. Which tasks?", [15, 23]),
    ("We're a foreign e-commerce platform thinking of an Asia-Pacific HQ in Shanghai, using bonded warehouses, and joining the Silk Road E-Commerce national pavilion. What applies?", [7, 17]),
    ("We build language corpora for LLMs, run a blockchain BaaS platform, and want to register IP rights on our data products. Which tasks cover us?", [4, 10]),
    ("Shipping line based in the North Bund: we use big data for smart port operations and also want to set up a reinsurance business in Lin-gang. Which tasks?", [11, 12]),
    ("Data company: we want a spot in Lin-gang's international data economy industrial park, to work on DEPA digital trade cooperation, and to ship data abroad under the FTZ negative list. Which tasks apply?", [16, 18, 20]),
    ("We're a foreign telecom investor wanting to offer CDN and Internet access services, and we also build 5G and fiber-optic networks. What's relevant?", [1, 8]),
]
for q, tk in MP:
    add('multipolicy', q, tk)

# ---- sloppy (10)
SL = [
    ("hw do i get my electrifed goods thru air frieght for crossborder ecom", [5]),
    ("any thing abt esports events in the shanghai plan??", [2]),
    ("wat abt panda bonds", [12]),
    ("is there a blokchain BaaS thing", [10]),
    ("plan say anything re APEC card lol", [21]),
    ("DEPA zone where", [16]),
    ("yangpu digtal trade valley??", [19]),
    ("carbon mkt stuff whos doing it", [14]),
    ("shared warehousing + consolidated shippin for bonded imports??", [7]),
    ("wholy foreign ownd IDC allowed or nah", [1]),
]
for q, tk in SL:
    add('sloppy', q, tk)

# ---------------------------------------------------------------- output
def build():
    rows = []
    for i, (typ, q, tasks, expect, lst, hist) in enumerate(Q, 1):
        r = {'id': 'b%03d' % i, 'split': 'dev', 'type': typ, 'question': q,
             'tasks': tasks, 'expect': expect}
        if lst is not None:
            r['list'] = lst
        if hist:
            r['history'] = hist
        rows.append(r)
    return rows


if __name__ == '__main__':
    rows = build()
    if '--check' in sys.argv:
        old = [json.loads(l) for l in open(OUT, encoding='utf-8')]
        bad = [(a['id'], a.get('list'), b.get('list'), a['tasks'], b['tasks'])
               for a, b in zip(old, rows) if a != b]
        print('rows', len(old), len(rows), 'mismatches', len(bad))
        for x in bad:
            print(x)
        sys.exit(1 if bad or len(old) != len(rows) else 0)
    with open(OUT, 'w', encoding='utf-8') as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + '\n')
    print(Counter(r['type'] for r in rows), len(rows))
    for n in sorted(UNITS):
        print(n, SECTION[n], len(UNITS[n]), UNITS[n])
    for r in rows:
        if 'list' in r:
            print(r['id'], r['type'], r['question'][:70], '->', r['list']['items'])
