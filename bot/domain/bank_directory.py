"""The directory of Indian banks, payments banks and UPI apps: data, read by `banks`.

One row per institution: the name its SMS uses (what a complaint stores), its Hindi name,
its kind, its IFSC prefix, the names people type for it in both scripts (SMS sender codes
such as "hdfcbk" included), and names that only point at it ("gramin bank"). Adding a
bank or a spelling is a change to this table only.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["DIRECTORY", "Bank", "InstitutionKind"]


class InstitutionKind(StrEnum):
    BANK = "bank"
    SMALL_FINANCE_BANK = "small_finance_bank"
    PAYMENTS_BANK = "payments_bank"
    RURAL_OR_COOPERATIVE = "rural_or_cooperative"
    APP = "app"  # a UPI app or wallet: money leaves a bank account linked to it


@dataclass(frozen=True, slots=True)
class Bank:
    """One institution: `name` is how its SMS names it, and what the complaint stores."""

    id: str
    name: str
    name_hi: str
    kind: InstitutionKind
    ifsc_prefix: str = ""
    aliases: tuple[str, ...] = ()
    # Names that point at it without certainty ("gramin bank", "airtel"): read unsure.
    loose: tuple[str, ...] = ()

    @property
    def is_app(self) -> bool:
        return self.kind is InstitutionKind.APP

    def display(self, language: str) -> str:
        return self.name_hi if language == "hi" else self.name


_B, _S, _P = InstitutionKind.BANK, InstitutionKind.SMALL_FINANCE_BANK, InstitutionKind.PAYMENTS_BANK
_R, _A = InstitutionKind.RURAL_OR_COOPERATIVE, InstitutionKind.APP

# id, name as in SMS, Hindi name, kind, IFSC prefix, aliases (SMS sender codes included),
# loose aliases. Ids of the conversation's bank buttons are kept (sbi, hdfc, ...).
DIRECTORY: tuple[Bank, ...] = (
    Bank(
        "sbi",
        "SBI",
        "एसबीआई",
        _B,
        "SBIN",
        (
            "state bank of india",
            "state bank",
            "sbi",
            "s b i",
            "sbiupi",
            "sbiinb",
            "sbipsg",
            "sbicrd",
            "sbi card",
            "एसबीआई",
            "एस बी आई",
            "स्टेट बैंक",
            "स्टेट बैंक ऑफ इंडिया",
            "स्टेट बैंक आफ इंडिया",
            "भारतीय स्टेट बैंक",
        ),
    ),
    Bank(
        "hdfc",
        "HDFC Bank",
        "एचडीएफसी बैंक",
        _B,
        "HDFC",
        ("hdfc", "hdfcbk", "hdfcbank", "h d f c", "एचडीएफसी", "एच डी एफ सी"),
    ),
    Bank(
        "icici",
        "ICICI Bank",
        "आईसीआईसीआई बैंक",
        _B,
        "ICIC",
        ("icici", "icicib", "icicibank", "i c i c i", "आईसीआईसीआई", "आई सी आई सी आई"),
    ),
    Bank(
        "axis",
        "Axis Bank",
        "एक्सिस बैंक",
        _B,
        "UTIB",
        ("axis", "axisbk", "axisbank", "uti bank", "एक्सिस", "एक्सीस"),
    ),
    Bank(
        "kotak",
        "Kotak Bank",
        "कोटक बैंक",
        _B,
        "KKBK",
        ("kotak", "kotak mahindra", "kotak mahindra bank", "kotakb", "कोटक", "कोटक महिंद्रा"),
    ),
    Bank(
        "pnb",
        "PNB",
        "पीएनबी",
        _B,
        "PUNB",
        ("punjab national bank", "pnb", "p n b", "pnbsms", "पंजाब नेशनल बैंक", "पीएनबी", "पी एन बी"),
    ),
    Bank(
        "bob",
        "Bank of Baroda",
        "बैंक ऑफ बड़ौदा",
        _B,
        "BARB",
        (
            "bank of baroda",
            "baroda bank",
            "baroda",
            "bob",
            "bobtxn",
            "bobsms",
            "bank of broda",
            "बैंक ऑफ बड़ौदा",
            "बैंक आफ बड़ौदा",
            "बड़ौदा बैंक",
            "बड़ौदा",
            "बीओबी",
            "dena bank",
            "vijaya bank",
        ),
    ),
    Bank(
        "canara",
        "Canara Bank",
        "केनरा बैंक",
        _B,
        "CNRB",
        ("canara", "canbnk", "kenra", "केनरा", "कैनरा", "syndicate bank"),
    ),
    Bank(
        "union",
        "Union Bank",
        "यूनियन बैंक",
        _B,
        "UBIN",
        (
            "union bank of india",
            "union bank",
            "unionb",
            "ubi",
            "यूनियन बैंक",
            "यूनियन बैंक ऑफ इंडिया",
            "andhra bank",
            "corporation bank",
        ),
    ),
    Bank(
        "indusind",
        "IndusInd Bank",
        "इंडसइंड बैंक",
        _B,
        "INDB",
        ("indusind", "indus ind", "indus bank", "indusb", "इंडसइंड", "इंडस इंड"),
    ),
    Bank(
        "yes", "Yes Bank", "यस बैंक", _B, "YESB", ("yes bank", "yesbank", "yesbnk", "यस बैंक", "येस बैंक")
    ),
    Bank(
        "idfc",
        "IDFC First Bank",
        "आईडीएफसी फर्स्ट बैंक",
        _B,
        "IDFB",
        ("idfc", "idfc first", "idfcfb", "आईडीएफसी", "आईडीएफसी फर्स्ट"),
    ),
    Bank("federal", "Federal Bank", "फेडरल बैंक", _B, "FDRL", ("federal", "fedbnk", "फेडरल")),
    Bank(
        "boi",
        "Bank of India",
        "बैंक ऑफ इंडिया",
        _B,
        "BKID",
        ("bank of india", "boi", "बैंक ऑफ इंडिया", "बैंक आफ इंडिया", "बीओआई"),
    ),
    Bank(
        "central",
        "Central Bank of India",
        "सेंट्रल बैंक ऑफ इंडिया",
        _B,
        "CBIN",
        (
            "central bank",
            "central bank of india",
            "centbk",
            "सेंट्रल बैंक",
            "सेन्ट्रल बैंक",
            "सेंट्रल बैंक ऑफ इंडिया",
        ),
    ),
    Bank(
        "indian",
        "Indian Bank",
        "इंडियन बैंक",
        _B,
        "IDIB",
        ("indian bank", "इंडियन बैंक", "allahabad bank"),
    ),
    Bank(
        "iob",
        "Indian Overseas Bank",
        "इंडियन ओवरसीज़ बैंक",
        _B,
        "IOBA",
        ("indian overseas bank", "iob", "इंडियन ओवरसीज बैंक", "आईओबी"),
    ),
    Bank("uco", "UCO Bank", "यूको बैंक", _B, "UCBA", ("uco", "यूको")),
    Bank(
        "psb",
        "Punjab & Sind Bank",
        "पंजाब एंड सिंध बैंक",
        _B,
        "PSIB",
        (
            "punjab and sind bank",
            "punjab sind bank",
            "punjab and sindh bank",
            "punjab sindh bank",
            "पंजाब एंड सिंध बैंक",
            "पंजाब सिंध बैंक",
        ),
    ),
    Bank(
        "bom",
        "Bank of Maharashtra",
        "बैंक ऑफ महाराष्ट्र",
        _B,
        "MAHB",
        ("bank of maharashtra", "mahabank", "maha bank", "बैंक ऑफ महाराष्ट्र"),
    ),
    Bank("idbi", "IDBI Bank", "आईडीबीआई बैंक", _B, "IBKL", ("idbi", "आईडीबीआई")),
    Bank("rbl", "RBL Bank", "आरबीएल बैंक", _B, "RATN", ("rbl", "ratnakar bank", "आरबीएल")),
    Bank("bandhan", "Bandhan Bank", "बंधन बैंक", _B, "BDBL", ("bandhan", "बंधन")),
    Bank("karnataka", "Karnataka Bank", "कर्नाटक बैंक", _B, "KARB", ("karnataka bank", "कर्नाटक बैंक")),
    Bank(
        "sib",
        "South Indian Bank",
        "साउथ इंडियन बैंक",
        _B,
        "SIBL",
        ("south indian bank", "sib", "साउथ इंडियन बैंक"),
    ),
    Bank("csb", "CSB Bank", "सीएसबी बैंक", _B, "CSBK", ("csb", "catholic syrian bank")),
    Bank("dcb", "DCB Bank", "डीसीबी बैंक", _B, "DCBL", ("dcb", "development credit bank")),
    Bank(
        "jkb",
        "J&K Bank",
        "जम्मू एंड कश्मीर बैंक",
        _B,
        "JAKA",
        (
            "jammu and kashmir bank",
            "jammu kashmir bank",
            "j k bank",
            "jk bank",
            "j and k bank",
            "जम्मू कश्मीर बैंक",
        ),
    ),
    Bank(
        "tmb",
        "Tamilnad Mercantile Bank",
        "तमिलनाड मर्केंटाइल बैंक",
        _B,
        "TMBL",
        ("tamilnad mercantile bank", "tmb"),
    ),
    Bank("kvb", "Karur Vysya Bank", "करूर वैश्य बैंक", _B, "KVBL", ("karur vysya bank", "kvb")),
    Bank("cub", "City Union Bank", "सिटी यूनियन बैंक", _B, "CIUB", ("city union bank",)),
    Bank("dhanlaxmi", "Dhanlaxmi Bank", "धनलक्ष्मी बैंक", _B, "DLXB", ("dhanlaxmi", "dhanlakshmi")),
    Bank("nainital", "Nainital Bank", "नैनीताल बैंक", _B, "NTBL", ("nainital bank",)),
    Bank("scb", "Standard Chartered", "स्टैंडर्ड चार्टर्ड", _B, "SCBL", ("standard chartered", "scb")),
    Bank("hsbc", "HSBC", "एचएसबीसी", _B, "HSBC", ("hsbc",)),
    Bank("citi", "Citibank", "सिटी बैंक", _B, "CITI", ("citibank", "citi bank", "citi")),
    Bank("dbs", "DBS Bank", "डीबीएस बैंक", _B, "DBSS", ("dbs", "digibank")),
    Bank(
        "au",
        "AU Small Finance Bank",
        "एयू स्मॉल फाइनेंस बैंक",
        _S,
        "AUBL",
        (
            "au small finance bank",
            "au small finance",
            "au bank",
            "au sfb",
            "aubank",
            "एयू बैंक",
            "एयू स्मॉल फाइनेंस बैंक",
        ),
    ),
    Bank(
        "equitas",
        "Equitas Small Finance Bank",
        "इक्विटास स्मॉल फाइनेंस बैंक",
        _S,
        "ESFB",
        ("equitas", "इक्विटास"),
    ),
    Bank(
        "ujjivan",
        "Ujjivan Small Finance Bank",
        "उज्जीवन स्मॉल फाइनेंस बैंक",
        _S,
        "UJVN",
        ("ujjivan", "उज्जीवन"),
    ),
    Bank(
        "jana",
        "Jana Small Finance Bank",
        "जना स्मॉल फाइनेंस बैंक",
        _S,
        "JSFB",
        ("jana small finance bank", "jana bank"),
    ),
    Bank(
        "suryoday", "Suryoday Small Finance Bank", "सूर्योदय स्मॉल फाइनेंस बैंक", _S, "SURY", ("suryoday",)
    ),
    Bank("esaf", "ESAF Small Finance Bank", "ईसाफ स्मॉल फाइनेंस बैंक", _S, "ESMF", ("esaf",)),
    Bank(
        "utkarsh",
        "Utkarsh Small Finance Bank",
        "उत्कर्ष स्मॉल फाइनेंस बैंक",
        _S,
        "UTKS",
        ("utkarsh", "उत्कर्ष"),
    ),
    Bank(
        "ppbl",
        "Paytm Payments Bank",
        "पेटीएम पेमेंट्स बैंक",
        _P,
        "PYTM",
        (
            "paytm payments bank",
            "paytm payment bank",
            "paytm bank",
            "ppbl",
            "paytmb",
            "पेटीएम पेमेंट्स बैंक",
            "पेटीएम बैंक",
        ),
    ),
    Bank(
        "airtel",
        "Airtel Payments Bank",
        "एयरटेल पेमेंट्स बैंक",
        _P,
        "AIRP",
        (
            "airtel payments bank",
            "airtel payment bank",
            "airtel bank",
            "airbnk",
            "airtel money",
            "एयरटेल पेमेंट्स बैंक",
            "एयरटेल बैंक",
        ),
        ("airtel", "एयरटेल"),
    ),
    Bank(
        "ippb",
        "India Post Payments Bank",
        "इंडिया पोस्ट पेमेंट्स बैंक",
        _P,
        "IPOS",
        (
            "india post payments bank",
            "india post payment bank",
            "ippb",
            "india post",
            "post office",
            "post office bank",
            "post bank",
            "dak ghar",
            "डाकघर",
            "इंडिया पोस्ट",
            "पोस्ट ऑफिस",
            "पोस्ट ऑफिस बैंक",
            "डाक बैंक",
        ),
    ),
    Bank(
        "fino",
        "Fino Payments Bank",
        "फिनो पेमेंट्स बैंक",
        _P,
        "FINO",
        ("fino", "fino payments bank", "फिनो"),
    ),
    Bank(
        "jio",
        "Jio Payments Bank",
        "जियो पेमेंट्स बैंक",
        _P,
        "JIOP",
        ("jio payments bank", "jio payment bank", "jio bank"),
    ),
    Bank(
        "nsdl",
        "NSDL Payments Bank",
        "एनएसडीएल पेमेंट्स बैंक",
        _P,
        "NSPB",
        ("nsdl payments bank", "nsdl bank"),
    ),
    Bank(
        "crgb",
        "Chhattisgarh Rajya Gramin Bank",
        "छत्तीसगढ़ राज्य ग्रामीण बैंक",
        _R,
        "",
        (
            "chhattisgarh rajya gramin bank",
            "chhattisgarh gramin bank",
            "chattisgarh gramin bank",
            "cg gramin bank",
            "crgb",
            "rajya gramin bank",
            "छत्तीसगढ़ राज्य ग्रामीण बैंक",
            "छत्तीसगढ़ ग्रामीण बैंक",
            "राज्य ग्रामीण बैंक",
        ),
        ("gramin bank", "grameen bank", "ग्रामीण बैंक"),
    ),
    Bank(
        "cg_apex",
        "Chhattisgarh Rajya Sahakari Bank",
        "छत्तीसगढ़ राज्य सहकारी बैंक",
        _R,
        "",
        (
            "chhattisgarh rajya sahakari bank",
            "apex bank",
            "cg apex bank",
            "अपेक्स बैंक",
            "छत्तीसगढ़ राज्य सहकारी बैंक",
        ),
        ("sahakari bank", "सहकारी बैंक"),
    ),
    Bank(
        "phonepe",
        "PhonePe",
        "फ़ोनपे",
        _A,
        "",
        (
            "phonepe",
            "phone pe",
            "phonepay",
            "phone pay",
            "fonepe",
            "phonpe",
            "phon pe",
            "फोनपे",
            "फोन पे",
        ),
    ),
    Bank(
        "gpay",
        "Google Pay",
        "गूगल पे",
        _A,
        "",
        (
            "google pay",
            "gpay",
            "g pay",
            "googlepay",
            "gogle pay",
            "tez",
            "गूगल पे",
            "गूगलपे",
            "जीपे",
            "जी पे",
        ),
    ),
    Bank("paytm", "Paytm", "पेटीएम", _A, "", ("paytm", "pay tm", "paytem", "paytam", "पेटीएम")),
    Bank("bhim", "BHIM", "भीम", _A, "", ("bhim", "bhim upi", "भीम", "भीम यूपीआई")),
    Bank(
        "amazonpay",
        "Amazon Pay",
        "अमेज़न पे",
        _A,
        "",
        ("amazon pay", "amazonpay", "अमेज़न पे", "अमेजन पे"),
        ("amazon", "अमेज़न"),
    ),
    Bank(
        "mobikwik",
        "MobiKwik",
        "मोबिक्विक",
        _A,
        "",
        ("mobikwik", "mobi kwik", "mobiquick", "मोबिक्विक"),
    ),
    Bank("cred", "CRED", "क्रेड", _A, "", ("cred", "क्रेड")),
    Bank(
        "whatsapp_pay",
        "WhatsApp Pay",
        "व्हाट्सऐप पे",
        _A,
        "",
        ("whatsapp pay", "whatsapp payment", "व्हाट्सएप पे", "व्हाट्सऐप पे"),
    ),
    Bank("freecharge", "Freecharge", "फ्रीचार्ज", _A, "", ("freecharge", "free charge")),
)
