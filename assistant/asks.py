"""What a question asks: the kind of value wanted, the subject, and the words that name the attribute.

    "What torque for the PRESS-03 lower die clamp bolts?"
      -> kind "quantity", families {"torque"}, attribute ("torque",),
         subject ("lower", "die", "clamp", "bolt"), identifiers ("PRESS-03",)

Evidence is then judged by it: a sentence answers a torque question when it
holds a torque (a value in N·m, lbf·ft ...) and names the subject; it is a near
miss when it names the subject but holds no torque.

>>> a = analyse("What torque for the PRESS-03 lower die clamp bolts?")
>>> a.kind, sorted(a.families), a.attribute, a.subject, a.identifiers
('quantity', ['torque'], ('torque',), ('lower', 'die', 'clamp', 'bolt'), ('PRESS-03',))
>>> analyse("How often must periodic inspections be done?").kind
'frequency'
>>> analyse("How do I release stored energy before servicing?").kind
'steps'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.identifiers import carried, identifier_tokens
from assistant.text import STOPWORDS, families, quantities, same_root, stem, terms, words

# quantity family -> words that ask for it
FAMILY_WORDS = {
    "torque": "torque torqued tighten tightening",
    "pressure": "pressure psi bar precharge vacuum",
    "temperature": "temperature",
    "current": "amps amperage ampere",
    "voltage": "voltage volts volt",
    "force": "force load",
    "power": "power wattage kw",
    "speed": "speed rpm revolutions",
    "flow": "flow rate",
    "length": "gap clearance length width thickness distance diameter depth height tolerance deflection runout "
              "backlash flatness sag slack stroke",
    "mass": "weight heavy mass",
    "volume": "capacity volume litres liters gallons",
    "time": "duration long wait minutes hours seconds days weeks months years",
    "percent": "percent percentage",
    "resistance": "resistance ohms ohm",
}
# A family word that modifies another noun names a thing, not the asked quantity: "wheel speed
# transducer", "pressure switch". Generic heads keep it the asked quantity: "temperature range".
_GENERIC_HEADS = frozenset(stem(w) for w in (
    "range limit limits value values setting settings spec specs specification level levels reading readings "
    "rating figure tolerance drop rise loss"
).split())
_FAMILY_STEMS = {family: frozenset(stem(w) for w in ws.split()) for family, ws in FAMILY_WORDS.items()}
# Words that frame a question without naming its subject (general English, any plant).
FRAMING = frozenset(stem(w) for w in (
    "what which who whom whose when where why how much many often long is are was were be been do does did "
    "can could should would must may might shall will need needs needed have has had tell give show find "
    "know explain describe mean means meaning value values number amount setting settings spec specs "
    "specification specified recommended required requirement requirements right correct proper allowed "
    "okay ok maximum minimum max min typical normal standard level levels limit limits information details "
    "detail thing things way ways use used using according document documents procedure procedures step "
    "steps sop manual rule rules section per get put make done doing happen happens first next then "
    "there please me i my we our us you your anything something define definition list order whats whos want "
    "wants"
).split())
_STEPS = re.compile(r"\bhow (?:do|should|can|would|must) (?:i|we|you|one)\b|\bhow to\b|\bwhat (?:are the )?steps\b|"
                    r"\bwhat is the (?:procedure|sequence|process)\b|\bsteps? (?:for|to)\b|\bprocedure (?:for|to)\b|"
                    r"\bin what order\b|\bwhat do i do\b|\bwalk me through\b", re.I)
_COUNT = re.compile(r"\bhow many\b|(?:^|\b(?:the|a|total|what|whats|how|is|was|maximum|minimum|max|min|"
                    r"largest|smallest|highest|lowest|exact|required)\s+)number of\b", re.I)
# "How many days / hours ..." asks for a time, "how many psi" for a pressure: a quantity, not a count.
_COUNT_OF_UNITS = re.compile(r"\bhow many\s+(?:more\s+)?(seconds|minutes|hours|days|weeks|months|years|times a|psi|bar|"
                             r"volts|amps|degrees|inches|feet|meters|metres|millimet(?:er|re)s|litres|liters|gallons|"
                             r"pounds|kilograms|kg|quarts|qts|pints)\b", re.I)
_FREQUENCY = re.compile(r"\bhow often\b|\bhow frequently\b|\bfrequency\b|\binterval\b|\bhow regularly\b", re.I)
# "when does the air filter get swapped out", "when is the oil due": a recurring task's interval, not a date
_WHEN_DUE = re.compile(r"\bwhen (?:does|do)\b[^?]{1,60}\b(?:get|gets)\s+\w+(?:ed|en)\b"
                       r"|\bwhen (?:is|are)\b[^?]{1,60}\b(?:due|changed|replaced|swapped|serviced|inspected|checked|"
                       r"cleaned|lubricated|greased|done)\b", re.I)
_WHEN = re.compile(r"^\s*(?:and\s+)?when\b|\bwhen (?:was|were|did|is|are|do|does|should|must|will|has|have|can|may)\b|"
                   r"\bwhat date\b|\bwhich year\b|\bby when\b|\bhow soon\b", re.I)
_WHO = re.compile(r"\bwho\b|\bwhose\b|\bwhich (?:person|people|employees?|role)\b", re.I)
_PART = re.compile(r"\bpart (?:number|no)\b|\bwhich part\b|\bwhat part\b|\bp/n\b", re.I)
_YESNO = re.compile(r"^\s*(?:can|may|is|are|do|does|should|must|am|shall|will|could)\b", re.I)
_WHY = re.compile(r"\bwhy\b|\bwhat causes?\b|\bcause of\b|\breason\b", re.I)
_FREQ_WORDS = re.compile(r"\b(?:daily|weekly|monthly|annually|yearly|quarterly|hourly|every|each (?:shift|day|week|"
                         r"month|year)|once (?:a|per|every)|per (?:shift|day|week|month|year)|times (?:a|per))\b",
                         re.I)
_DATE_LIKE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b(?:19|20)\d{2}\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|"
                        r"nov|dec)[a-z]*\.?\s+\d", re.I)
_TEMPORAL = re.compile(r"\b(?:before|after|until|prior to|once|whenever|when|upon|during|at the end|following|"
                       r"immediately|as soon as|first|then)\b", re.I)
_NUMBER_WORD = re.compile(r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|once|twice|single|"
                          r"both|no)\b", re.I)
_ROLE_WORDS = re.compile(r"\b(?:employees?|persons?|person|supervisor|operator|technician|authori[sz]ed|affected|"
                         r"employer|lead|manager|electrician|engineer|mechanic|owner|team|crew|who)\b", re.I)
_CAUSAL = re.compile(r"\b(?:because|due to|caused by|causes?|so that|results? in|leads? to|if|when|since|as a result|"
                     r"from|otherwise|therefore)\b", re.I)
_LABEL = re.compile(r"\b([A-Za-z]{3,})\s*:")
_RECORD_ID = re.compile(r"^work order (\S+)", re.I)


def _record_ids(text: str) -> set[str]:
    """A work-order line's own id: not a part number it mentions."""
    m = _RECORD_ID.match(text)
    return {m.group(1).upper()} if m else set()


_IMPERATIVE = re.compile(r"^\s*(?:\d+(?:\.\d+)*[.)]?\s+|step\s+\d+\s*[:.)-]?\s*|[-*•]\s+)?[A-Z][a-z]+\b")


@dataclass(frozen=True)
class Ask:
    question: str
    kind: str  # quantity | frequency | date | count | steps | person | part | cause | yesno | general
    families: frozenset[str]  # quantity families asked (torque, pressure, ...)
    attribute: tuple[str, ...]  # stemmed question words that name the asked attribute
    subject: tuple[str, ...]  # stemmed content words of what the question is about
    identifiers: tuple[str, ...]  # part numbers, asset tags named


# Words that ask for a quantity only in some phrases ("current" alone is often "the current revision").
_FAMILY_PHRASES = {
    "temperature": re.compile(r"\bhow (?:hot|cold|warm)\b", re.I),
    "current": re.compile(r"\b(?:motor|rated|trip|overload|supply|load|electrical|running|full[- ]load|inrush|"
                          r"starting|operating)\s+current\b|\bcurrent\s+(?:draw|rating|setting|limit)\b", re.I),
}


def _asked_family_words(question: str) -> list[str]:
    """The question's stemmed words, less family words that only modify the noun after them.

    >>> _asked_family_words("What resistance should the wheel speed transducer read?")
    ['resistance', 'wheel', 'transducer', 'read']
    >>> _asked_family_words("What temperature range do tags withstand?")
    ['temperature', 'range', 'tags', 'withstand']
    """
    ws = words(question)
    out = []
    fam_words = {w for fam in _FAMILY_STEMS.values() for w in fam}
    for i, w in enumerate(ws):
        if w in STOPWORDS or len(w) < 2 or w.isdigit():
            continue
        s = stem(w)
        nxt = ws[i + 1] if i + 1 < len(ws) else ""
        if s in fam_words and nxt and nxt not in STOPWORDS and stem(nxt) not in _GENERIC_HEADS and not nxt.isdigit():
            continue  # a modifier: "speed transducer"
        out.append(s)
    return out


def asking_sentence(question: str) -> str:
    """The sentence that asks, when a question first tells a situation: "PRESS-02 ram is creeping at
    top of stroke. Thinking of swapping the valve - good idea?" asks the last one.

    >>> asking_sentence("Guy who hung a lock went home sick. Can the supervisor just cut it?")
    'Can the supervisor just cut it?'
    >>> asking_sentence("What is the torque for PRESS-03 lower die clamp bolts?")
    'What is the torque for PRESS-03 lower die clamp bolts?'
    """
    parts = [p for p in re.split(r"(?<=[.!?])\s+(?=[A-Z])", question.strip()) if p.strip()]
    asking = [p for p in parts if p.rstrip().endswith("?")]
    return asking[-1] if len(parts) > 1 and asking else question


def analyse(question: str) -> Ask:
    stems = terms(question)
    asked = asking_sentence(question)  # the kind and the attribute come from the sentence that asks
    asked_words = _asked_family_words(asked)
    fams = frozenset(f for f, words in _FAMILY_STEMS.items() if any(s in words for s in asked_words))
    if (m := _COUNT_OF_UNITS.search(asked)) and not fams:
        fams = families(f"1 {m.group(1).split()[0]}")
    fams |= frozenset(f for f, pattern in _FAMILY_PHRASES.items() if pattern.search(asked))
    if not fams and re.search(r"\d", asked):
        fams = families(asked)  # "how much at 20 °C": the number's kind; "what torque at the 125 hour service" asks torque
    kind = _kind(asked, fams)
    if not fams and kind in ("general", "yesno") and (told := families(question)):
        fams, kind = told, _kind(asked, told)  # a situation's reading: "at the final 40 in-lb. Can I back it off?"
    attribute = tuple(s for s in stems if any(s in _FAMILY_STEMS[f] for f in fams)
                      or (kind == "frequency" and s in ("often", "frequency", "interval", "frequent")))
    ids = identifier_tokens(question)
    id_terms = {t for i in ids for t in terms(i)}
    subject = tuple(s for s in stems if s not in FRAMING and s not in attribute and s not in id_terms)
    return Ask(question, kind, fams, attribute, subject, ids)


def _kind(question: str, fams: frozenset[str]) -> str:
    if _STEPS.search(question):
        return "steps"
    if _FREQUENCY.search(question) or _WHEN_DUE.search(question):
        return "frequency"
    if (m := _PART.search(question)) and not re.match(r"[\s:#.]*[A-Za-z]*-?\d", question[m.end():]):
        return "part"  # "P/N LW-61420" gives the part; "what part number" asks for one
    if _COUNT_OF_UNITS.search(question):
        return "quantity"
    if _COUNT.search(question):
        return "count"
    if fams - {"time"} or (fams and re.search(r"\bhow long\b|\bduration\b|\bwait\b", question, re.I)):
        return "quantity"
    if _WHO.search(question):
        return "person"
    if _WHEN.search(question):
        return "date"
    if _WHY.search(question):
        return "cause"
    if _YESNO.search(question):
        return "yesno"
    return "general"


def holds_value(ask: Ask, text: str) -> bool | None:
    """Does `text` hold a value of the asked kind? None when the kind has no value to check.

    >>> holds_value(analyse("Torque for the clamp bolts?"), "Torque the bolts to 330 N·m.")
    True
    >>> holds_value(analyse("Torque for the clamp bolts?"), "Clamp pressure 190-210 bar.")
    False
    >>> holds_value(analyse("How often are inspections required?"), "Conduct a periodic inspection at least annually.")
    True
    >>> holds_value(analyse("who's the vendor for lw61420?"), "Vendor: Summit Propeller Service · LW-61420")
    True
    """
    if ask.kind == "quantity":
        have = families(text)
        return bool(have & ask.families) or (not ask.families and bool(quantities(text)))
    if ask.kind == "frequency":
        return bool(_FREQ_WORDS.search(text) or families(text) & {"time"})
    if ask.kind == "count":
        return bool(re.search(r"\d", text) or _NUMBER_WORD.search(text))
    if ask.kind == "date":
        return bool(_DATE_LIKE.search(text) or _TEMPORAL.search(text))
    if ask.kind == "person":  # a role, or a field the question names ("who's the vendor": "Vendor: Summit ...")
        return bool(_ROLE_WORDS.search(text)) or any(stem(label.lower()) in ask.subject for label in _LABEL.findall(text))
    if ask.kind == "part":
        named = set(identifier_tokens(text)) - _record_ids(text)
        return any(not carried(ask.identifiers, {n}) for n in named)  # an id other than the asked ones
    if ask.kind == "cause":
        return bool(_CAUSAL.search(text))
    if ask.kind == "steps":
        return bool(_IMPERATIVE.match(text))
    return None


def names_attribute(ask: Ask, text: str) -> bool:
    """Does `text` name the asked attribute ("torque" for a torque question)?"""
    if not ask.attribute:
        return False
    have = terms(text)
    return any(same_root(a, h) for a in ask.attribute for h in have)
