"""Household inputs and operations the schema tests share."""

from __future__ import annotations

import copy
from typing import Any

CREATE_HOUSEHOLD = """
mutation Create($input: CreateHouseholdInput!) {
  createHousehold(input: $input) {
    __typename
    ... on HouseholdPayload {
      household {
        id name
        principal { id name permits { id code offer { ref } } }
        spouse { id name }
        offers { id ref }
      }
    }
    ... on InvalidInput { errors { path message } }
    ... on NotFound { path id message }
  }
}
"""

COUNT_HOUSEHOLDS = "{ households(first: 100) { edges { node { id name } } } }"

PRINCIPAL: dict[str, Any] = {
    "name": "Mei Tanaka",
    "birthDate": "1995-03-14",
    "citizenships": ["JP"],
    "passportExpiry": "2032-01-31",
    "inCanada": True,
    "status": {"kind": "WORKER", "permitCode": "C43", "validTo": "2027-06-30"},
    "education": [
        {
            "credential": "MASTER",
            "institution": "UNIVERSITY",
            "canadian": True,
            "pgwpEligibleDli": True,
            "start": "2022-09-01",
            "completion": "2024-05-31",
        },
    ],
    "languageTests": [
        {"test": "IELTS_GENERAL", "taken": "2025-01-20", "listening": 9, "reading": 8, "writing": 7, "speaking": 8},
    ],
    "workHistory": [{"nocCode": "21231", "start": "2024-07-01", "hoursPerWeek": 40, "inCanada": True}],
    "permits": [
        {"code": "C43", "open": True, "status": "APPROVED", "validFrom": "2024-06-15", "validTo": "2027-06-30"},
    ],
}

SPOUSE: dict[str, Any] = {"name": "Kenji Tanaka", "birthDate": "1994-08-02", "citizenships": ["JP"], "inCanada": True}

OFFER: dict[str, Any] = {
    "ref": "acme-dev",
    "holder": "PRINCIPAL",
    "employerName": "Acme Robotics Inc.",
    "nocCode": "21231",
    "province": "ON",
    "hoursPerWeek": 40,
    "hourlyWage": 48.0,
    "earliestStart": "2026-02-01",
    "offerNumber": "A1234567",
    "complianceFeePaid": True,
}


def household_input(name: str = "Tanaka", *, spouse: bool = True, offers: int = 1) -> dict[str, Any]:
    """A valid `CreateHouseholdInput` (deep-copied, so tests may change it)."""
    data: dict[str, Any] = {"name": name, "principal": copy.deepcopy(PRINCIPAL)}
    if spouse:
        data["spouse"] = copy.deepcopy(SPOUSE)
    data["offers"] = [{**OFFER, "ref": f"offer-{i}"} for i in range(offers)]
    return data
