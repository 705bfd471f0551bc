#!/usr/bin/python3
"""Writes an office-style register of organisations as .xlsx, the way a city office's own
sheet looks (issue 14's benchmark): a merged title block above the header, 14 columns, NIPs
with dashes (2% with a wrong check digit), KRS numbers that lost their leading zeros, spheres
written as free text, addresses in one cell and about 3% of rows repeating an earlier
organisation (in-file duplicates). Written by hand (zip + XML, shared strings as Excel stores
them), so it needs nothing beyond Python's standard library and is not Kartoteka's own export.
Usage: make-office-sheet.py OUT.xlsx [ROWS=100000] [SEED=14]"""
import random
import sys
import zipfile
from xml.sax.saxutils import escape

OUT = sys.argv[1]
ROWS = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 14)

HEADER = ["Lp.", "Nazwa organizacji", "Forma prawna", "NIP", "Nr KRS", "REGON", "Adres siedziby",
          "Kod pocztowy", "Miejscowość", "Telefon", "E-mail", "Obszar działania",
          "Osoba do kontaktu", "Uwagi"]
FORMS = ["stowarzyszenie", "Stowarzyszenie", "fundacja", "Fundacja", "stow. zwykłe",
         "KGW", "klub sportowy", "UKS", "stowarzyszenie kultury fizycznej", "OSP",
         "fundacja rodzinna", "spółdzielnia socjalna"]
KINDS = ["Stowarzyszenie", "Fundacja", "Towarzystwo", "Klub Sportowy", "Koło Gospodyń Wiejskich w",
         "Ochotnicza Straż Pożarna w", "Uczniowski Klub Sportowy", "Stowarzyszenie Przyjaciół",
         "Fundacja na rzecz", "Związek"]
CORES = ["Pomocy Dzieciom", "Rozwoju Wsi", "Kultury Ludowej", "Ekologiczne Zielony Dom",
         "Aktywnych Seniorów", "Przyjaciół Ziemi", "Wolontariuszy", "Promyk", "Sportowe Orlik",
         "Dziedzictwa Regionu", "Osób Niepełnosprawnych Razem", "Historyczne", "Muzyczne Akord",
         "Edukacji Obywatelskiej", "Turystyczne Szlak", "Rodzin Zastępczych", "Ratownictwa",
         "Kobiet Aktywnych", "Miłośników Książki", "Bezpieczna Droga"]
CITIES = [("Łódź", "90"), ("Kraków", "30"), ("Wrocław", "50"), ("Poznań", "60"),
          ("Gdańsk", "80"), ("Szczecin", "70"), ("Bydgoszcz", "85"), ("Lublin", "20"),
          ("Białystok", "15"), ("Katowice", "40"), ("Żory", "44"), ("Świdnica", "58"),
          ("Zielona Góra", "65"), ("Olsztyn", "10"), ("Rzeszów", "35"), ("Opole", "45"),
          ("Kielce", "25"), ("Sieradz", "98"), ("Ełk", "19"), ("Płońsk", "09"),
          ("Ściborzyce Wielkie", "48"), ("Nowy Sącz", "33"), ("Gniezno", "62")]
STREETS = ["ul. Lipowa", "ul. Kościuszki", "ul. Piłsudskiego", "ul. Długa", "al. Wolności",
           "ul. Szkolna", "ul. Ogrodowa", "pl. Rynek", "ul. Żeromskiego", "ul. Łąkowa",
           "os. Słoneczne", "ul. 3 Maja"]
SPHERES = ["pomoc społeczna", "kultura i sztuka", "sport", "kultura fizyczna", "ekologia",
           "edukacja", "działalność charytatywna", "turystyka i krajoznawstwo", "pkt 14",
           "15, 16", "ochrona zdrowia", "wolontariat", "seniorzy", "dzieci i młodzież",
           "ratownictwo i ochrona ludności", "integracja europejska", "rewitalizacja",
           "pkt 1a", "bezpieczeństwo publiczne", "przeciwdziałanie uzależnieniom"]
FIRST = ["Anna", "Maria", "Katarzyna", "Małgorzata", "Agnieszka", "Piotr", "Krzysztof",
         "Andrzej", "Tomasz", "Paweł", "Michał", "Zofia", "Jan", "Łucja", "Ewa"]
LAST = ["Nowak", "Kowalska", "Wiśniewski", "Wójcik", "Kamińska", "Lewandowski", "Zieliński",
        "Szymańska", "Woźniak", "Dąbrowski", "Kozłowska", "Jankowski", "Mazur", "Krawczyk"]
NOTES = ["", "", "", "", "brak aktualnego sprawozdania", "zmiana zarządu 2025",
         "kontakt tylko mailowo", "OPP", "dotacja 2024", "nie odbiera telefonu"]
MAIL = ["gmail.com", "wp.pl", "onet.pl", "interia.pl", "o2.pl", "poczta.fm"]


def nip(bad):
    while True:
        d = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(8)]
        c = sum(x * w for x, w in zip(d, [6, 5, 7, 2, 3, 4, 5, 6, 7])) % 11
        if c != 10:
            break
    if bad:
        c = (c + rng.randint(1, 9)) % 10
    s = "".join(map(str, d)) + str(c)
    return f"{s[:3]}-{s[3:6]}-{s[6:8]}-{s[8:]}" if rng.random() < 0.8 else f"{s[:3]}-{s[3:5]}-{s[5:7]}-{s[7:]}"


def regon():
    d = [rng.randint(0, 9) for _ in range(8)]
    c = sum(x * w for x, w in zip(d, [8, 9, 2, 3, 4, 5, 6, 7])) % 11 % 10
    return "".join(map(str, d)) + str(c)


def ascii_fold(s):
    table = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ ", "acelnoszzACELNOSZZ.")
    return s.translate(table).lower()


strings, index = [], {}


def sst(text):
    i = index.get(text)
    if i is None:
        i = index[text] = len(strings)
        strings.append(text)
    return i


def col(c):
    return chr(ord("A") + c)


rows_xml = []


def row(r, cells):
    out = [f'<row r="{r}">']
    for c, v in enumerate(cells):
        if v is None or v == "":
            continue
        ref = f"{col(c)}{r}"
        if isinstance(v, int):
            out.append(f'<c r="{ref}"><v>{v}</v></c>')
        else:
            out.append(f'<c r="{ref}" t="s"><v>{sst(v)}</v></c>')
    out.append("</row>")
    rows_xml.append("".join(out))


row(1, ["Wykaz organizacji pozarządowych współpracujących z Urzędem — stan na 30.11.2026"])
row(2, ["Wydział Zdrowia i Spraw Społecznych, opracowanie: Biuro ds. NGO"])
row(4, HEADER)
made = []
for i in range(ROWS):
    r = 5 + i
    if made and rng.random() < 0.03:
        # The same organisation entered again further down (another staff member's paste).
        again = list(rng.choice(made))
        again[0] = i + 1
        if rng.random() < 0.5:
            again[1] = again[1].upper()
        row(r, again)
        continue
    city, zip2 = rng.choice(CITIES)
    name = f"{rng.choice(KINDS)} {rng.choice(CORES)} {rng.randint(1, 9999)}"
    person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    cells = [
        i + 1,
        name if rng.random() < 0.9 else f"  {name} ",
        rng.choice(FORMS),
        nip(rng.random() < 0.02) if rng.random() < 0.85 else "",
        rng.randint(1, 999_999) if rng.random() < 0.7 else "",
        regon() if rng.random() < 0.5 else "",
        f"{rng.choice(STREETS)} {rng.randint(1, 120)}" + (f"/{rng.randint(1, 40)}" if rng.random() < 0.3 else ""),
        f"{zip2}-{rng.randint(0, 999):03d}",
        city,
        (f"{rng.randint(500, 899)} {rng.randint(100, 999)} {rng.randint(100, 999)}"
         if rng.random() < 0.7 else f"({rng.randint(10, 99)}) {rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}"),
        f"{ascii_fold(person)}{rng.randint(1, 999)}@{rng.choice(MAIL)}" if rng.random() < 0.8 else "",
        ", ".join(rng.sample(SPHERES, rng.randint(1, 3))) if rng.random() < 0.9 else "",
        person,
        rng.choice(NOTES),
    ]
    made.append(cells)
    if len(made) > 2000:
        made.pop(0)
    row(r, cells)

last = 4 + ROWS
sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
         'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
         f'<dimension ref="A1:N{last}"/><sheetData>' + "".join(rows_xml) + "</sheetData>"
         '<mergeCells count="2"><mergeCell ref="A1:N1"/><mergeCell ref="A2:N2"/></mergeCells>'
         "</worksheet>")
shared = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
          f'count="{len(strings)}" uniqueCount="{len(strings)}">'
          + "".join(f"<si><t xml:space=\"preserve\">{escape(s)}</t></si>" for s in strings) + "</sst>")
parts = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>",
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>",
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Organizacje 2026" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    "</Relationships>",
    "xl/styles.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="1"><xf/></cellXfs>'
    "</styleSheet>",
    "xl/worksheets/sheet1.xml": sheet,
    "xl/sharedStrings.xml": shared,
}
with zipfile.ZipFile(OUT, "w", zipfile.ZIP_DEFLATED) as z:
    for name, text in parts.items():
        z.writestr(name, text.encode("utf-8"))
