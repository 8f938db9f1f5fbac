"""Build /work/main/eval/dev_blind_zh.jsonl (45 blind Chinese dev questions).

Every "list" label is computed here from the plan text only
(/work/main/corpus/shanghai-digital-trade-and-services-plan.txt).
Conventions:
  * non-breaking / narrow spaces are normalised to ordinary spaces first;
  * a task = the line "N. ..." up to and including its "(Responsible units: ...)";
  * unit names = that list split at commas, with a leading "and " and then a
    leading "the " dropped; kept exactly as written otherwise (so task 20 has
    "Pudong New Area People's Government (Shanghai Pilot Free Trade Zone Administration)");
  * a task "names a place" if the place's English spelling occurs anywhere in
    the task text, the unit list included (e.g. Lin-gang Special Area
    Administrative Committee counts for 临港, "North Bund Forum" counts for 北外滩).
"""
import json, re
from pathlib import Path

PLAN = Path('/work/main/corpus/shanghai-digital-trade-and-services-plan.txt')
OUT = Path('/work/main/eval/dev_blind_zh.jsonl')

text = PLAN.read_text(encoding='utf-8')
for ch in ('\u00a0', '\u202f', '\u2007', '\u3000'):
    text = text.replace(ch, ' ')

TASKS = {int(m.group(1)): m.group(2) for m in re.finditer(r'(?m)^(\d+)\. (.*)$', text)}
assert sorted(TASKS) == list(range(1, 24)), sorted(TASKS)

UNITS = {}
for n, body in TASKS.items():
    m = re.search(r'\(Responsible units: (.*)\)\s*$', body)
    assert m, n
    names = []
    for p in m.group(1).split(','):
        p = p.strip()
        p = re.sub(r'^and ', '', p)
        p = re.sub(r'^the ', '', p)
        names.append(p)
    UNITS[n] = names
assert len(UNITS) == 23

ALL = set(range(1, 24))

# Chinese unit name -> exact English unit name in the plan
U = {
    '市商务委': 'Municipal Commission of Commerce',
    '市经济信息化委': 'Municipal Commission of Economy and Informatization',
    '市数据局': 'Municipal Data Bureau',
    '市科委': 'Municipal Commission of Science and Technology',
    '市交通委': 'Municipal Commission of Transport',
    '市委网信办': 'Office of the Municipal Cyberspace Affairs Commission',
    '上海海关': 'Shanghai Customs',
    '人民银行上海总部': "People's Bank of China Shanghai Head Office",
    '外汇局上海市分局': 'Shanghai Branch of the State Administration of Foreign Exchange',
    '市委金融办': 'Financial Affairs Office of the Municipal Committee of the CPC',
    '市委宣传部': 'Publicity Department of the Municipal Committee of the CPC',
    '市文化旅游局': 'Municipal Administration of Culture and Tourism',
    '民航华东地区管理局': 'CAAC East China Regional Administration',
    '临港新片区管委会': 'Lin-gang Special Area Administrative Committee',
    '虹桥国际中央商务区管委会': 'Hongqiao International Central Business District Administrative Committee',
}
for zh, en in U.items():
    assert any(en in v for v in UNITS.values()), (zh, en)

# Chinese place -> English spelling searched anywhere in the task
PLACE = {'临港': 'Lin-gang', '浦东': 'Pudong', '虹桥': 'Hongqiao', '北外滩': 'North Bund',
         '陆家嘴': 'Lujiazui', '洋山': 'Yangshan', '虹口': 'Hongkou'}


def by(zh):
    """tasks whose unit list contains the unit exactly"""
    en = U[zh]
    return {n for n, v in UNITS.items() if en in v}


def at(zh):
    """tasks whose text (unit list included) names the place"""
    en = PLACE[zh]
    return {n for n, b in TASKS.items() if en in b}


def T(s):
    return {'kind': 'tasks', 'items': sorted(s)}


def C(n):
    return {'kind': 'count', 'items': [n]}


def Un(names):
    return {'kind': 'units', 'items': list(names)}


Q = []


def add(type_, question, tasks, expect='answer', lst=None, history=None):
    d = {'id': 'z%03d' % (len(Q) + 1), 'split': 'dev', 'type': type_, 'question': question,
         'tasks': tasks, 'expect': expect}
    if lst is not None:
        d['list'] = lst
    if history:
        d['history'] = history
    Q.append(d)


def tl(s):
    return sorted(s)


# ---------------- compound (15) ----------------
s = by('市数据局') & by('市委网信办')
add('compound', '有哪些任务是市数据局和市委网信办一起负责的？', tl(s), lst=T(s))

s = by('市经济信息化委') - at('临港')
add('compound', '市经济信息化委牵头或参与的任务里，哪些跟临港没关系？', tl(s), lst=T(s))

s = by('市科委')
add('compound', '市科委一共要负责多少项任务？', tl(s), lst=C(len(s)))

s = by('上海海关') & by('虹桥国际中央商务区管委会')
add('compound', '既有上海海关、又有虹桥国际中央商务区管委会作为责任单位的任务是哪几项？', tl(s), lst=T(s))

s = by('人民银行上海总部') | by('外汇局上海市分局')
add('compound', '人民银行上海总部或者外汇局上海市分局参与的任务有哪些？', tl(s), lst=T(s))

common = [u for u in UNITS[5] if u in UNITS[17]]
add('compound', '任务5和任务17共同的责任单位有哪些？', [5, 17], lst=Un(common))

rest = [u for u in UNITS[6] if u != U['市商务委']]
add('compound', '第6项任务除了市商务委之外，还有哪些责任单位？', [6], lst=Un(rest))

s = {n for n, v in UNITS.items() if len(v) <= 3}
add('compound', '哪些任务的责任单位不超过三家？', tl(s), lst=T(s))

s = by('市交通委')
add('compound', '市交通委参与了几项任务？分别是哪几项？', tl(s), lst=T(s))

s = at('临港') & at('虹桥')
add('compound', '哪些任务里同时提到了临港和虹桥？', tl(s), lst=T(s))

s = by('人民银行上海总部') - by('市委金融办')
add('compound', '人民银行上海总部负责、但市委金融办不负责的任务是哪些？', tl(s), lst=T(s))

s = ALL - by('市商务委')
add('compound', '市商务委没有参与的任务有哪些？', tl(s), lst=T(s))

s = at('浦东') & by('上海海关')
add('compound', '涉及浦东的任务中，哪些上海海关也是责任单位？', tl(s), lst=T(s))

s = by('市委宣传部') & by('市文化旅游局')
add('compound', '市委宣传部和市文化旅游局都在责任单位里的任务是哪些？', tl(s), lst=T(s))

common = [u for u in UNITS[12] if u in UNITS[13]]
add('compound', '第12项和第13项任务都有哪些相同的责任单位？', [12, 13], lst=Un(common))

# ---------------- paraphrase (8) ----------------
add('paraphrase', '外资想在上海开一个全资的互联网数据中心或者应用商店，方案里是哪条说的？', [1])
add('paraphrase', '国外还没在国内公开上映的电影和游戏，能不能拿到上海的游戏展、电影节上试映试玩？', [2])
add('paraphrase', '我们跨境电商卖的东西有带电池的、带磁的，还有化妆品，空运一直不方便，方案有没有说要改进？', [5])
add('paraphrase', '方案里有没有提到发熊猫债、搞国际再保险中心的事？', [12])
add('paraphrase', '搞飞机租赁、想把飞机和发动机这些航空资产拿来交易，对应的是哪项任务？', [13])
add('paraphrase', '听说要出数据出境的负面清单，是方案里的哪一项？', [20])
add('paraphrase', '外国客户来上海谈生意办签证麻烦，方案对口岸签证、APEC商务旅行卡有什么说法？', [21])
add('paraphrase', '跨国公司想用资金池统一管理数字贸易和服务贸易的跨境资金，方案哪条支持？', [22])

# ---------------- followup (8) ----------------
add('followup', '它由哪些单位负责？', [7], lst=Un(UNITS[7]),
    history=['方案里讲简化跨境电商直购商品退货流程的是哪一项？'])
add('followup', '下一项呢？', [10],
    history=['任务9主要讲什么？'])
s = by('上海海关') & at('临港')
add('followup', '那里面哪些还涉及临港？', tl(s), lst=T(s),
    history=['上海海关负责哪些任务？'])
s = by('市经济信息化委')
add('followup', '那市经济信息化委呢？', tl(s), lst=T(s),
    history=['市数据局负责哪些任务？'])
add('followup', '其中数字交付的服务贸易要达到多少？', ['intro'],
    history=['到2029年上海服务贸易进出口总额的目标是多少？'])
add('followup', '这一项一共有几家责任单位？', [11], lst=C(len(UNITS[11])),
    history=['航运服务贸易数字化赋能是第几项任务？', '它提到了哪些航运服务集聚区？'])
add('followup', '那丝路电商合作先行区呢？是第几项？', [17],
    history=['上海DEPA合作区是方案里的第几项任务？'])
add('followup', '那虹口呢？方案给虹口定的是什么方向？', [19],
    history=['方案对浦东打造服务贸易集聚区是怎么说的？'])

# ---------------- nearmiss (6, partial) ----------------
add('nearmiss', '上海文化贸易十大品牌每年怎么申报？今年入选的名单有哪些？', [2], expect='partial')
add('nearmiss', '对技术先进型服务企业加大支持，具体能拿到多少补贴？', [15], expect='partial')
add('nearmiss', '自贸区数据跨境流动的负面清单什么时候发布？有没有截止日期？', [20], expect='partial')
add('nearmiss', 'APEC商务旅行卡现在申请流程具体是怎样的？要准备哪些材料？', [21], expect='partial')
add('nearmiss', '服务贸易中小企业支持计划里，一家企业最多能拿多少扶持资金？', [19], expect='partial')
add('nearmiss', '临港的国际数据经济产业园，企业入驻要满足什么条件、怎么申请？', [18], expect='partial')

# ---------------- unanswerable (2, refuse) ----------------
add('unanswerable', '上海居住证积分落户怎么算分？', [], expect='refuse')
add('unanswerable', '今年个人所得税子女教育专项附加扣除标准是多少？', [], expect='refuse')

# ---------------- multipolicy (6) ----------------
add('multipolicy', '我们是做跨境电商进口的，想在海关特殊监管区做保税进口，另外小微企业收结汇手续太麻烦，也想用出口信用保险，方案里有哪些相关任务？', [6, 7])
add('multipolicy', '我们公司做游戏和电竞，一方面想把海外没上线的游戏拿到展会试玩，一方面想借ChinaJoy这样的展会推广，方案里哪些任务能用上？', [2, 23])
add('multipolicy', '我们是航空公司下属企业，做飞机租赁，也在推进航空货运数据共享和物流信息平台，方案哪些条目和我们有关？', [11, 13])
add('multipolicy', '我们是一家跨国公司的共享服务中心，想用跨境资金池集中管理资金，同时外籍员工经常要来上海出差办签证，适用哪些任务？', [3, 21, 22])
add('multipolicy', '我们是临港的一家数据服务公司，要做数据出境合规，还想给数据产品做知识产权登记，方案里哪些任务相关？', [4, 18, 20])
add('multipolicy', '我们做节能环保技术，想引进国外的减碳技术、参与碳排放交易，还想参与服务贸易国际标准的制定，对应方案哪些任务？', [14, 15])

assert len(Q) == 45, len(Q)
with OUT.open('w', encoding='utf-8') as f:
    for d in Q:
        f.write(json.dumps(d, ensure_ascii=False) + '\n')

if __name__ == '__main__':
    from collections import Counter
    print(Counter(d['type'] for d in Q))
    for d in Q:
        print(d['id'], d['type'], d['tasks'], d.get('list'), d['question'][:30])
