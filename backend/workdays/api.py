from django.http import HttpRequest
from ninja import Path, Router

from . import selectors, services
from .schemas import Year, YearScheduleIn, YearScheduleOut

router = Router(tags=["workdays"])


@router.get("/{year}", response=YearScheduleOut, summary="A year's holidays and make-up workdays, and where they come from")
def year_get(request: HttpRequest, year: Path[Year]):
    return selectors.year_schedule_get(year=year)


@router.put("/{year}", response=YearScheduleOut, summary="Enter a year's official schedule (admins); open deadlines are recomputed")
def year_put(request: HttpRequest, year: Path[Year], payload: YearScheduleIn):
    services.year_schedule_set(
        user=request.user,
        year=year,
        holidays=[(h.date, h.name) for h in payload.holidays],
        workdays=list(payload.workdays),
    )
    return selectors.year_schedule_get(year=year)
