"""Demo households for `permitpath serve --dev`, written through the real `createHousehold` mutation.

The households are `CreateHouseholdInput` values exactly as a client would send them, so the demo data
is validated by the same checks and doubles as an example of the input.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.repositories.households import Households
from schema.context import Context
from schema.root import schema

CREATE_HOUSEHOLD = """
mutation CreateDemoHousehold($input: CreateHouseholdInput!) {
  createHousehold(input: $input) {
    __typename
    ... on InvalidInput { errors { path message } }
  }
}
"""

DEMO_HOUSEHOLDS: list[dict[str, Any]] = [
    {
        "name": "Sharma",
        "principal": {
            "name": "Priya Sharma",
            "birthDate": "1996-04-02",
            "citizenships": ["IN"],
            "passportExpiry": "2031-08-14",
            "inCanada": True,
            "status": {"kind": "WORKER", "permitCode": "C43", "validTo": "2027-05-31"},
            "education": [
                {
                    "credential": "MASTER",
                    "institution": "UNIVERSITY",
                    "canadian": True,
                    "pgwpEligibleDli": True,
                    "start": "2022-09-06",
                    "completion": "2024-04-30",
                    "lengthMonths": 20,
                    "studyPermitAppliedOn": "2022-05-10",
                }
            ],
            "languageTests": [
                {
                    "test": "IELTS_GENERAL",
                    "taken": "2025-02-10",
                    "listening": 9,
                    "reading": 8,
                    "writing": 8,
                    "speaking": 8,
                }
            ],
            "workHistory": [
                {"nocCode": "21231", "start": "2024-07-02", "hoursPerWeek": 40, "inCanada": True},
                {"nocCode": "21231", "start": "2019-07-01", "end": "2022-07-31", "hoursPerWeek": 45, "inCanada": False},
            ],
            "permits": [
                {
                    "code": "C43",
                    "open": True,
                    "status": "APPROVED",
                    "appliedOn": "2024-05-03",
                    "validFrom": "2024-06-01",
                    "validTo": "2027-05-31",
                },
            ],
        },
        "spouse": {
            "name": "Arjun Sharma",
            "birthDate": "1994-11-19",
            "citizenships": ["IN"],
            "passportExpiry": "2029-03-01",
            "inCanada": True,
            "status": {"kind": "WORKER", "permitCode": "C41", "validTo": "2027-05-31"},
            "workHistory": [{"nocCode": "62020", "start": "2024-10-01", "hoursPerWeek": 32, "inCanada": True}],
            "permits": [
                {
                    "code": "C41",
                    "open": True,
                    "status": "APPROVED",
                    "appliedOn": "2024-06-20",
                    "validFrom": "2024-09-01",
                    "validTo": "2027-05-31",
                },
            ],
        },
        "offers": [
            {
                "ref": "northwind-dev",
                "holder": "PRINCIPAL",
                "employerName": "Northwind Software Inc.",
                "nocCode": "21231",
                "province": "ON",
                "hoursPerWeek": 40,
                "hourlyWage": 52.5,
                "earliestStart": "2026-03-01",
                "lmiaApproved": False,
            },
        ],
    },
    {
        "name": "Okafor",
        "principal": {
            "name": "Chinedu Okafor",
            "birthDate": "2001-06-23",
            "citizenships": ["NG"],
            "passportExpiry": "2030-01-09",
            "inCanada": True,
            "status": {"kind": "STUDENT", "validTo": "2026-12-31"},
            "education": [
                {
                    "credential": "BACHELOR",
                    "institution": "UNIVERSITY",
                    "canadian": True,
                    "pgwpEligibleDli": True,
                    "start": "2022-09-01",
                    "completion": "2026-04-30",
                    "studyPermitAppliedOn": "2022-04-15",
                }
            ],
            "languageTests": [
                {
                    "test": "CELPIP_GENERAL",
                    "taken": "2025-11-08",
                    "listening": 8,
                    "reading": 8,
                    "writing": 7,
                    "speaking": 8,
                }
            ],
            "workHistory": [
                {
                    "nocCode": "64100",
                    "start": "2023-01-09",
                    "hoursPerWeek": 20,
                    "inCanada": True,
                    "whileFullTimeStudent": True,
                },
            ],
        },
        "offers": [
            {
                "ref": "maple-admin",
                "holder": "PRINCIPAL",
                "employerName": "Maple Logistics Ltd.",
                "nocCode": "13100",
                "province": "MB",
                "hoursPerWeek": 37.5,
                "hourlyWage": 27.0,
                "earliestStart": "2026-06-01",
                "latestStart": "2026-09-01",
            },
        ],
    },
    {
        "name": "Dubois",
        "principal": {
            "name": "Camille Dubois",
            "birthDate": "1990-02-28",
            "citizenships": ["FR"],
            "passportExpiry": "2033-05-20",
            "inCanada": False,
            "education": [
                {
                    "credential": "MASTER",
                    "institution": "UNIVERSITY",
                    "canadian": False,
                    "start": "2012-09-03",
                    "completion": "2014-06-30",
                }
            ],
            "languageTests": [
                {
                    "test": "TEF_CANADA",
                    "taken": "2025-09-15",
                    "listening": 10,
                    "reading": 10,
                    "writing": 9,
                    "speaking": 10,
                },
                {
                    "test": "IELTS_GENERAL",
                    "taken": "2025-10-02",
                    "listening": 8,
                    "reading": 7,
                    "writing": 7,
                    "speaking": 7,
                },
            ],
            "workHistory": [
                {"nocCode": "21211", "start": "2015-01-05", "hoursPerWeek": 39, "inCanada": False},
            ],
            "permits": [
                {"code": "C12", "open": False, "status": "APPLIED", "offerRef": "lumen-ict", "appliedOn": "2026-01-12"},
            ],
        },
        "spouse": {
            "name": "Julien Dubois",
            "birthDate": "1989-07-14",
            "citizenships": ["FR"],
            "passportExpiry": "2028-12-01",
            "inCanada": False,
        },
        "offers": [
            {
                "ref": "lumen-ict",
                "holder": "PRINCIPAL",
                "employerName": "Lumen Analytique Canada Inc.",
                "nocCode": "21211",
                "province": "QC",
                "hoursPerWeek": 37.5,
                "hourlyWage": 61.0,
                "earliestStart": "2026-04-01",
                "months": 36,
                "lmiaExemptCode": "C12",
                "offerNumber": "A4820193",
                "complianceFeePaid": True,
            },
        ],
    },
    {
        "name": "Nguyen",
        "principal": {
            "name": "Linh Nguyen",
            "birthDate": "1993-12-05",
            "citizenships": ["VN"],
            "passportExpiry": "2027-02-11",
            "inCanada": True,
            "status": {"kind": "WORKER", "validTo": "2026-09-30", "employerSpecific": True},
            "provincialNomination": {"province": "BC", "nominatedOn": "2025-11-03", "employerRestricted": True},
            "languageTests": [
                {
                    "test": "CELPIP_GENERAL",
                    "taken": "2025-03-22",
                    "listening": 6,
                    "reading": 5,
                    "writing": 5,
                    "speaking": 6,
                }
            ],
            "workHistory": [
                {"nocCode": "63200", "start": "2023-10-02", "hoursPerWeek": 40, "inCanada": True},
            ],
        },
        "offers": [
            {
                "ref": "harbour-cook",
                "holder": "PRINCIPAL",
                "employerName": "Harbour Bistro Ltd.",
                "nocCode": "63200",
                "province": "BC",
                "hoursPerWeek": 40,
                "hourlyWage": 24.5,
                "earliestStart": "2026-10-01",
                "months": 24,
                "lmiaApproved": True,
            },
        ],
    },
]


async def seed_demo(sessions: async_sessionmaker[AsyncSession], tenant_id: int) -> int:
    """Add the demo households to a tenant that has none; returns how many were added."""
    async with sessions() as session:
        if await Households(session, tenant_id=tenant_id).list_households(limit=1):
            return 0
    for household in DEMO_HOUSEHOLDS:
        result = await schema.execute(
            CREATE_HOUSEHOLD, variable_values={"input": household}, context_value=Context.create(sessions, tenant_id)
        )
        outcome = (result.data or {}).get("createHousehold") or {}
        if result.errors or outcome.get("__typename") != "HouseholdPayload":
            raise RuntimeError(f"demo household {household['name']!r} was refused: {result.errors or outcome}")
    return len(DEMO_HOUSEHOLDS)
