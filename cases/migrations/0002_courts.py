"""The immigration courts by EOIR base-city code, with their time zones.

Codes and names: domain-rules.md section 2 (EOIR Policy Manual Part VII, Appendix N, matching
EOIR's tblLookupBaseCity). The time zone is that of the court's city. Addresses are left for the
clinic to fill in: they are not in the verified sources.
"""

from django.db import migrations

NY, CHI, DEN, PHX, LA = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
)
DETAINED = True

COURTS = [
    ("ADL", "Adelanto", "CA", LA, DETAINED), ("ANN", "Annandale", "VA", NY, False),
    ("ATD", "Atlanta (Ted Turner Dr)", "GA", NY, False), ("ATL", "Atlanta", "GA", NY, False),
    ("AUR", "Aurora", "CO", DEN, DETAINED), ("BAL", "Baltimore", "MD", NY, False),
    ("BTV", "Batavia", "NY", NY, DETAINED), ("BOS", "Boston", "MA", NY, False), ("BUF", "Buffalo", "NY", NY, False),
    ("CHL", "Charlotte", "NC", NY, False), ("CHE", "Chelmsford", "MA", NY, False), ("CHI", "Chicago", "IL", CHI, False),
    ("CLE", "Cleveland", "OH", NY, False), ("CCC", "Concord", "CA", LA, False), ("CIC", "Conroe", "TX", CHI, DETAINED),
    ("DAL", "Dallas", "TX", CHI, False), ("DEN", "Denver", "CO", DEN, False), ("DET", "Detroit", "MI", "America/Detroit", False),
    ("ELP", "El Paso", "TX", DEN, False), ("EPD", "El Paso (detained, SPC)", "TX", DEN, DETAINED),
    ("ELZ", "Elizabeth", "NJ", NY, DETAINED), ("ELO", "Eloy", "AZ", PHX, DETAINED),
    ("FCI", "Falls Church (Immigration Adjudication Center)", "VA", NY, False), ("FLO", "Florence", "AZ", PHX, DETAINED),
    ("BLM", "Fort Snelling", "MN", CHI, False), ("FTW", "Fort Worth (Immigration Adjudication Center)", "TX", CHI, False),
    ("HLG", "Harlingen", "TX", CHI, False), ("HAR", "Hartford", "CT", NY, False), ("HON", "Honolulu", "HI", "Pacific/Honolulu", False),
    ("HOU", "Houston", "TX", CHI, False), ("HGP", "Houston (Gessner Rd)", "TX", CHI, False), ("HSG", "Houston (S. Gessner)", "TX", CHI, False),
    ("HYA", "Hyattsville", "MD", NY, False), ("IMP", "Imperial", "CA", LA, DETAINED),
    ("INP", "Indianapolis", "IN", "America/Indiana/Indianapolis", False), ("KAN", "Kansas City", "MO", CHI, False),
    ("KRO", "Krome", "FL", NY, DETAINED), ("LRO", "Laredo", "TX", CHI, DETAINED), ("JNA", "LaSalle", "LA", CHI, DETAINED),
    ("LVG", "Las Vegas", "NV", LA, False), ("NLA", "Los Angeles (N. Los Angeles St)", "CA", LA, False),
    ("VNS", "Los Angeles (Van Nuys)", "CA", LA, False), ("WLA", "Los Angeles (Wilshire)", "CA", LA, False),
    ("MEM", "Memphis", "TN", CHI, False), ("MIA", "Miami", "FL", NY, False), ("NEW", "Newark", "NJ", NY, False),
    ("NOL", "New Orleans", "LA", CHI, False), ("NYB", "New York (Broadway)", "NY", NY, False),
    ("NYC", "New York (Federal Plaza)", "NY", NY, False), ("NYV", "New York (Varick)", "NY", NY, DETAINED),
    ("OAK", "Oakdale", "LA", CHI, DETAINED), ("OMA", "Omaha", "NE", CHI, False), ("ORL", "Orlando", "FL", NY, False),
    ("OTM", "Otay Mesa", "CA", LA, DETAINED), ("OTO", "Otero", "NM", DEN, DETAINED), ("PSD", "Pearsall", "TX", CHI, DETAINED),
    ("PHI", "Philadelphia", "PA", NY, False), ("PHO", "Phoenix", "AZ", PHX, False), ("PEP", "Port Isabel", "TX", CHI, DETAINED),
    ("POR", "Portland", "OR", LA, False), ("RIC", "Richmond (Immigration Adjudication Center)", "VA", NY, False),
    ("SMO", "Sacramento", "CA", LA, False), ("SAI", "Saipan", "MP", "Pacific/Saipan", False),
    ("SLC", "Salt Lake City", "UT", DEN, False), ("SNA", "San Antonio", "TX", CHI, False), ("SND", "San Diego", "CA", LA, False),
    ("SAJ", "San Juan", "PR", "America/Puerto_Rico", False), ("SNC", "Santa Ana", "CA", LA, False),
    ("SEA", "Seattle", "WA", LA, False), ("STE", "Sterling", "VA", NY, False), ("SDC", "Stewart", "GA", NY, DETAINED),
    ("TAC", "Tacoma", "WA", LA, DETAINED), ("TUC", "Tucson", "AZ", PHX, False), ("ULS", "Ulster", "NY", NY, DETAINED),
]  # fmt: skip
# Retired codes still found in the data (WAS became ANN, LOW became CHE, PIS became PEP, POO became POR).
RETIRED = [
    ("WAS", "Washington (retired; now Annandale)", "VA", NY), ("LOW", "Lowell (retired; now Chelmsford)", "MA", NY),
    ("PIS", "Port Isabel (retired code; now PEP)", "TX", CHI), ("POO", "Portland (retired code; now POR)", "OR", LA),
    ("SFR", "San Francisco (retired code)", "CA", LA), ("LOS", "Los Angeles (retired code)", "CA", LA),
    ("AGA", "Agana (retired code)", "GU", "Pacific/Guam"),
]  # fmt: skip


def add_courts(apps, schema_editor):
    Court = apps.get_model("cases", "Court")
    rows = [Court(code=c, name=n, state=s, time_zone=z, detained=d) for c, n, s, z, d in COURTS]
    rows += [Court(code=c, name=n, state=s, time_zone=z, retired=True) for c, n, s, z in RETIRED]
    Court.objects.bulk_create(rows, ignore_conflicts=True)


def remove_courts(apps, schema_editor):
    apps.get_model("cases", "Court").objects.filter(code__in=[row[0] for row in COURTS + RETIRED]).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(add_courts, remove_courts)]
