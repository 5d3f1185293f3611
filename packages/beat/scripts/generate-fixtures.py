#!/usr/bin/python3
"""Writes the cross-check fixtures under packages/beat/test/fixtures/.

Each fixture table holds next-fire times computed by implementations independent of
@stem/beat, so the TypeScript tests can compare against them without Python:

- cron.json: wall-clock matching by Debian's python3-croniter (run on naive local
  datetimes, so croniter's own time-zone handling plays no part), turned into instants
  by Python's zoneinfo under Stem's documented DST rule (a wall time in a spring-forward
  gap fires once at the first instant after the gap; a repeated wall time fires at its
  first occurrence, its second, or both). croniter's own tz-aware answers are recorded
  beside them; where they differ, the case must carry a reason in CRONITER_DIVERGENCES.
- calendar.json: `systemd-analyze calendar` answers for calendar filters; where systemd's
  DST handling differs from Stem's rule the case must carry a reason.
- solar.json: python3-ephem answers for solar events, with a tolerance per case.

Run on Debian 12 (bookworm) after `apt-get install python3-croniter python3-ephem`:
    /usr/bin/python3 packages/beat/scripts/generate-fixtures.py
"""

import json
import os
import subprocess
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import croniter as croniter_module
import ephem
from croniter import croniter

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'test', 'fixtures')
UTC = timezone.utc

# (id, expression, dayMatch, zone, after as local wall time, count, ambiguousTime)
CRON_CASES = [
    # DST: America/New_York (02:00 -> 03:00 on 2024-03-10, 02:00 -> 01:00 on 2024-11-03)
    ('ny-spring-0230', '30 2 * * *', 'or', 'America/New_York', '2024-03-08T12:00', 4, 'earlier'),
    ('ny-fall-0130', '30 1 * * *', 'or', 'America/New_York', '2024-11-01T12:00', 4, 'earlier'),
    ('ny-fall-0130-later', '30 1 * * *', 'or', 'America/New_York', '2024-11-01T12:00', 4, 'later'),
    ('ny-fall-0130-both', '30 1 * * *', 'or', 'America/New_York', '2024-11-01T12:00', 4, 'both'),
    ('ny-spring-quarter-hours', '*/15 * * * *', 'or', 'America/New_York', '2024-03-10T01:20', 8, 'earlier'),
    ('ny-fall-quarter-hours', '*/15 * * * *', 'or', 'America/New_York', '2024-11-03T00:20', 12, 'earlier'),
    ('ny-fall-quarter-hours-both', '*/15 * * * *', 'or', 'America/New_York', '2024-11-03T00:20', 12, 'both'),
    ('ny-fall-hourly-later', '0 * * * *', 'or', 'America/New_York', '2024-11-02T23:30', 5, 'later'),
    ('ny-spring-every-7-days', '0 12 */7 * *', 'or', 'America/New_York', '2024-02-20T00:00', 6, 'earlier'),
    # DST: Europe/London (01:00 -> 02:00 on 2024-03-31, 02:00 -> 01:00 on 2024-10-27)
    ('london-spring-0130', '30 1 * * *', 'or', 'Europe/London', '2024-03-29T12:00', 4, 'earlier'),
    ('london-fall-0130', '30 1 * * *', 'or', 'Europe/London', '2024-10-25T12:00', 4, 'earlier'),
    ('london-fall-0130-later', '30 1 * * *', 'or', 'Europe/London', '2024-10-25T12:00', 4, 'later'),
    ('london-spring-hourly', '@hourly', 'or', 'Europe/London', '2024-03-30T23:30', 4, 'earlier'),
    ('london-fall-seconds', '*/20 59 0,1 * * *', 'or', 'Europe/London', '2024-10-27T00:58', 9, 'both'),
    # DST: Australia/Lord_Howe, 30-minute shifts (02:00 -> 02:30 on 2024-10-06,
    # 02:00 -> 01:30 on 2024-04-07)
    ('lord-howe-spring-0215', '15 2 * * *', 'or', 'Australia/Lord_Howe', '2024-10-04T12:00', 4, 'earlier'),
    ('lord-howe-spring-every-10', '*/10 1-3 * * *', 'or', 'Australia/Lord_Howe', '2024-10-06T01:35', 10, 'earlier'),
    ('lord-howe-fall-0145', '45 1 * * *', 'or', 'Australia/Lord_Howe', '2024-04-05T12:00', 4, 'earlier'),
    ('lord-howe-fall-0145-later', '45 1 * * *', 'or', 'Australia/Lord_Howe', '2024-04-05T12:00', 4, 'later'),
    ('lord-howe-fall-every-10-both', '*/10 1 * * *', 'or', 'Australia/Lord_Howe', '2024-04-07T00:55', 10, 'both'),
    # Asia/Kathmandu: +05:45, and the 15-minute jump from +05:30 on 1986-01-01 00:00
    ('kathmandu-1986-jump', '5 0 * * *', 'or', 'Asia/Kathmandu', '1985-12-30T12:00', 3, 'earlier'),
    ('kathmandu-1986-every-5', '*/5 0 * * *', 'or', 'Asia/Kathmandu', '1985-12-31T23:50', 6, 'earlier'),
    ('kathmandu-daily', '@daily', 'or', 'Asia/Kathmandu', '2024-02-27T12:00', 4, 'earlier'),
    # Leap days and month ends
    ('leap-day', '0 0 29 2 *', 'or', 'UTC', '2023-01-01T00:00', 3, 'earlier'),
    ('leap-day-or-monday', '0 12 29 2 mon', 'or', 'Europe/London', '2024-02-20T00:00', 6, 'earlier'),
    ('leap-day-and-monday', '0 12 29 2 mon', 'and', 'Europe/London', '2000-01-01T00:00', 3, 'earlier'),
    ('month-day-31', '0 0 31 * *', 'or', 'America/New_York', '2024-01-15T00:00', 7, 'earlier'),
    ('month-day-30', '0 6 30 * *', 'or', 'Asia/Kathmandu', '2024-01-15T00:00', 4, 'earlier'),
    ('last-days', '59 23 28-31 * *', 'or', 'UTC', '2024-02-27T00:00', 6, 'earlier'),
    ('every-7-days-across-month-ends', '0 0 */7 * *', 'or', 'UTC', '2024-01-20T00:00', 10, 'earlier'),
    ('every-7-days-from-3', '30 8 3/7 * *', 'or', 'Europe/London', '2024-02-20T00:00', 8, 'earlier'),
    # Day-of-month with day-of-week: OR (cron) and AND (Celery)
    ('dom-or-dow', '0 9 1,15 * mon', 'or', 'Europe/London', '2024-04-01T10:00', 8, 'earlier'),
    ('dom-and-dow', '0 9 1,15 * mon', 'and', 'Europe/London', '2024-04-01T10:00', 4, 'earlier'),
    ('dom-step-or-dow', '0 0 */2 * mon', 'or', 'UTC', '2024-04-01T00:00', 8, 'earlier'),
    ('friday-13th', '0 0 13 * fri', 'and', 'America/New_York', '2024-01-01T00:00', 3, 'earlier'),
    ('dow-unrestricted-dom', '0 0 10 * *', 'and', 'UTC', '2024-01-01T00:00', 3, 'earlier'),
    # Names, aliases, Sunday as 7, stepped values, seconds
    ('names', '0 9 * jan-mar mon-fri', 'or', 'America/New_York', '2024-03-28T12:00', 5, 'earlier'),
    ('sunday-7', '0 0 * * 7', 'or', 'UTC', '2024-01-30T00:00', 3, 'earlier'),
    ('weekly', '@weekly', 'or', 'Australia/Lord_Howe', '2024-09-25T00:00', 4, 'earlier'),
    ('monthly', '@monthly', 'or', 'Europe/London', '2024-09-25T00:00', 4, 'earlier'),
    ('yearly', '@yearly', 'or', 'America/New_York', '2024-09-25T00:00', 3, 'earlier'),
    ('annually', '@annually', 'or', 'UTC', '2024-09-25T00:00', 2, 'earlier'),
    ('midnight', '@midnight', 'or', 'Europe/London', '2024-03-30T12:00', 3, 'earlier'),
    ('step-from-value', '5/20 * * * *', 'or', 'UTC', '2024-01-30T00:00', 5, 'earlier'),
    ('seconds-field', '*/20 * * * * *', 'or', 'UTC', '2024-01-30T23:59:30', 5, 'earlier'),
    ('ranges-with-steps', '0 8-18/4 * * 1-5', 'or', 'Europe/London', '2024-03-29T12:00', 6, 'earlier'),
]

# Why croniter's own tz-aware answers can differ from Stem's. Each difference between the
# two lists is classified by `classify_divergence`; a case whose differences fall in
# categories not declared for it below fails the generator, and so does a declared case
# that no longer differs. Nothing is dropped: the croniter answer stays in the fixture.
DIVERGENCE_REASONS = {
    'gap-shift': 'by design: croniter moves a wall time skipped by spring-forward later by '
                 'the length of the gap (02:30 -> 03:30); Stem fires at the first instant '
                 'after the gap (03:00), as Vixie cron runs skipped jobs right after the change',
    'repeated-time': 'by design: croniter fires a wall time repeated by fall-back only at its '
                     'first occurrence; Stem lets the entry choose later or both',
    'croniter-bug': 'croniter 1.3.5 bug: once its search crosses a DST change it returns '
                    'instants whose local time the expression does not allow (off by the '
                    'DST shift) or skips times it does allow',
}

CRONITER_DIVERGENCES = {
    'ny-spring-0230': {'gap-shift'},
    'ny-fall-0130': {'croniter-bug'},
    'ny-fall-0130-later': {'repeated-time', 'croniter-bug'},
    'ny-fall-0130-both': {'repeated-time', 'croniter-bug'},
    'ny-fall-quarter-hours-both': {'repeated-time'},
    'ny-fall-hourly-later': {'repeated-time', 'croniter-bug'},
    'ny-spring-every-7-days': {'croniter-bug'},
    'london-spring-0130': {'gap-shift'},
    'london-fall-0130': {'croniter-bug'},
    'london-fall-0130-later': {'repeated-time', 'croniter-bug'},
    'london-fall-seconds': {'repeated-time'},
    'lord-howe-spring-0215': {'gap-shift'},
    'lord-howe-fall-0145': {'croniter-bug'},
    'lord-howe-fall-0145-later': {'repeated-time', 'croniter-bug'},
    'lord-howe-fall-every-10-both': {'repeated-time', 'croniter-bug'},
    'kathmandu-1986-jump': {'gap-shift'},
    'month-day-31': {'croniter-bug'},
    'every-7-days-from-3': {'croniter-bug'},
    'friday-13th': {'croniter-bug'},
    'names': {'croniter-bug'},
    'weekly': {'croniter-bug'},
    'monthly': {'croniter-bug'},
    'yearly': {'croniter-bug'},
    'midnight': {'croniter-bug'},
    'ranges-with-steps': {'croniter-bug'},
}

ALIASES = {
    '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *',
    '@weekly': '0 0 * * 0', '@daily': '0 0 * * *', '@midnight': '0 0 * * *',
    '@hourly': '0 * * * *',
}


def to_croniter(expression):
    """croniter 1.3.5 reads a 6th field as seconds *last*; Stem reads seconds first."""
    expression = ALIASES.get(expression, expression)
    fields = expression.split()
    if len(fields) == 6:
        fields = fields[1:] + fields[:1]
    return ' '.join(fields)


def epoch_ms(instant):
    return int(round(instant.timestamp() * 1000))


def local_iso(ms, zone):
    return datetime.fromtimestamp(ms / 1000, zone).isoformat()


def instants_of(wall, zone):
    """Every UTC instant whose wall time in `zone` is `wall` (naive), ascending."""
    found = set()
    for fold in (0, 1):
        instant = wall.replace(tzinfo=zone, fold=fold).astimezone(UTC)
        if instant.astimezone(zone).replace(tzinfo=None) == wall:
            found.add(instant)
    return sorted(found)


def gap_end(wall, zone):
    """First instant after the spring-forward gap that swallows `wall`."""
    a = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    b = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    low, high = min(a, b), max(a, b)
    low_offset = low.astimezone(zone).utcoffset()
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        middle = middle.replace(microsecond=0)
        if middle <= low:
            break
        if middle.astimezone(zone).utcoffset() == low_offset:
            low = middle
        else:
            high = middle
    return high


def expected_cron(expression, day_match, zone, after, count, ambiguous):
    """Stem's rule, independently: croniter walks wall times, zoneinfo maps them."""
    wall_after = after.astimezone(zone).replace(tzinfo=None)
    walls = croniter(to_croniter(expression), wall_after - timedelta(days=2),
                     day_or=(day_match == 'or'))
    fires = []
    for _ in range(100_000):
        wall = walls.get_next(datetime)
        instants = instants_of(wall, zone)
        if not instants:
            chosen = [gap_end(wall, zone)]
        elif ambiguous == 'earlier':
            chosen = instants[:1]
        elif ambiguous == 'later':
            chosen = instants[-1:]
        else:
            chosen = instants
        for instant in chosen:
            if instant > after and instant not in fires:
                fires.append(instant)
        fires.sort()
        # Wall times are visited in order, so once enough fires lie before the next
        # day's wall times, no later wall time can come before them.
        if len(fires) >= count and wall > fires[count - 1].astimezone(zone).replace(tzinfo=None) + timedelta(days=1):
            break
    return [epoch_ms(f) for f in fires[:count]]


def classify_divergence(expression, day_match, zone, expected, aware):
    """The categories (see DIVERGENCE_REASONS) of every difference, with details."""
    if isinstance(aware, dict):
        return {'croniter-bug'}, [f'croniter raised {aware["error"]}']
    categories, details = set(), []
    cron = to_croniter(expression)

    def wall_of(ms):
        return datetime.fromtimestamp(ms / 1000, zone).replace(tzinfo=None)

    def allowed(wall):
        return croniter.match(cron, wall, day_or=(day_match == 'or'))

    horizon = min(expected[-1], aware[-1]) if expected and aware else 0
    for ms in aware:
        if ms in expected or ms > horizon:
            continue
        wall = wall_of(ms)
        gap_walls = [w for w in (wall - timedelta(minutes=m) for m in (15, 30, 45, 60, 120))
                     if not instants_of(w, zone) and epoch_ms(w.replace(tzinfo=zone, fold=0)) == ms]
        if any(allowed(w) for w in gap_walls):
            categories.add('gap-shift')
            details.append(f'croniter {local_iso(ms, zone)}: skipped wall time shifted by the gap')
        elif allowed(wall) and len(instants_of(wall, zone)) == 2:
            categories.add('repeated-time')
            details.append(f'croniter {local_iso(ms, zone)}: other occurrence of a repeated wall time')
        else:
            categories.add('croniter-bug')
            details.append(f'croniter {local_iso(ms, zone)}: wall time not allowed by the expression')
    for ms in expected:
        if ms in aware or ms > horizon:
            continue
        wall = wall_of(ms)
        if not allowed(wall):
            categories.add('gap-shift')
            details.append(f'stem {local_iso(ms, zone)}: end of a gap that swallowed an allowed wall time')
        elif len(instants_of(wall, zone)) == 2:
            categories.add('repeated-time')
            details.append(f'stem {local_iso(ms, zone)}: occurrence of a repeated wall time croniter does not fire')
        else:
            categories.add('croniter-bug')
            details.append(f'stem {local_iso(ms, zone)}: allowed, unambiguous wall time that croniter skips')
    return categories, details


def croniter_aware(expression, day_match, zone, after, count):
    try:
        it = croniter(to_croniter(expression), after.astimezone(zone), day_or=(day_match == 'or'))
        return [epoch_ms(it.get_next(datetime)) for _ in range(count)]
    except Exception as error:  # croniter raising is a result worth recording
        return {'error': f'{type(error).__name__}: {error}'}


def cron_fixtures():
    cases = []
    problems = []
    for case_id, expression, day_match, zone_name, after_local, count, ambiguous in CRON_CASES:
        zone = ZoneInfo(zone_name)
        after = datetime.fromisoformat(after_local).replace(tzinfo=zone)
        expected = expected_cron(expression, day_match, zone, after, count, ambiguous)
        aware = croniter_aware(expression, day_match, zone, after, count)
        agrees = aware == expected
        declared = CRONITER_DIVERGENCES.get(case_id)
        divergence = None
        if not agrees:
            found, details = classify_divergence(expression, day_match, zone, expected, aware)
            if found != declared:
                shown = aware if isinstance(aware, dict) else [local_iso(x, zone) for x in aware]
                problems.append(f'{case_id}: croniter differs in {sorted(found)}, declared {declared}\n'
                                f'  expected {[local_iso(x, zone) for x in expected]}\n  croniter {shown}\n  ' + '\n  '.join(details))
            divergence = {'categories': sorted(found), 'reason': '; '.join(DIVERGENCE_REASONS[c] for c in sorted(found)),
                          'details': details}
        elif declared is not None:
            problems.append(f'{case_id}: croniter now agrees; remove it from CRONITER_DIVERGENCES')
        case = {
            'id': case_id, 'expression': expression, 'dayMatch': day_match, 'timezone': zone_name,
            'after': epoch_ms(after), 'afterLocal': after.isoformat(), 'ambiguousTime': ambiguous,
            'expected': expected, 'expectedLocal': [local_iso(x, zone) for x in expected],
            'croniterAware': aware,
        }
        if divergence is not None:
            case['croniterDivergence'] = divergence
        cases.append(case)
    if problems:
        raise SystemExit('\n'.join(problems))
    return {
        'source': f'python3-croniter {croniter_module.__version__ if hasattr(croniter_module, "__version__") else "(Debian 12)"} '
                  'on naive wall times + zoneinfo, under Stem\'s DST rule',
        'cases': cases,
    }


# (id, filters, zone, after as local wall time, count, reason if systemd differs by design)
CALENDAR_CASES = [
    ('mon-fri-office-hours', {'weekdays': [1, 2, 3, 4, 5], 'hours': [9], 'minutes': [0]},
     'Europe/London', '2024-03-28T12:00', 6, None),
    ('all-filters', {'months': [1, 7], 'monthDays': [1, 15], 'weekdays': [1, 5], 'hours': [9, 17],
                     'minutes': [0, 30]}, 'America/New_York', '2024-01-01T00:00', 8, None),
    ('leap-day-noon', {'months': [2], 'monthDays': [29], 'hours': [12], 'minutes': [0]},
     'UTC', '2023-06-01T00:00', 3, None),
    ('month-day-31', {'monthDays': [31], 'hours': [0], 'minutes': [0]},
     'Asia/Kathmandu', '2024-01-15T00:00', 7, None),
    ('saturday-half-hours', {'weekdays': [6], 'minutes': [0, 30]},
     'Australia/Lord_Howe', '2024-10-04T23:00', 6, None),
    ('ny-spring-0230', {'hours': [2], 'minutes': [30]}, 'America/New_York', '2024-03-08T12:00', 4,
     'gap-skip'),
    ('ny-fall-0130', {'hours': [1], 'minutes': [30]}, 'America/New_York', '2024-11-01T12:00', 4, None),
    ('london-fall-0100-0130', {'hours': [1], 'minutes': [0, 30]}, 'Europe/London', '2024-10-26T12:00',
     6, None),
    ('lord-howe-spring-0215', {'hours': [2], 'minutes': [15]}, 'Australia/Lord_Howe',
     '2024-10-04T12:00', 4, 'gap-skip'),
    ('lord-howe-fall-0145', {'hours': [1], 'minutes': [45]}, 'Australia/Lord_Howe',
     '2024-04-05T12:00', 4, None),
]

SYSTEMD_REASONS = {
    'gap-skip': 'by design: systemd does not fire a wall time skipped by spring-forward at '
                'all that day; Stem fires it once, at the first instant after the gap',
}

WEEKDAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']


def systemd_spec(filters, zone_name):
    def listed(key, width):
        values = filters.get(key)
        return '*' if values is None else ','.join(f'{v:0{width}d}' for v in values)
    weekdays = filters.get('weekdays')
    prefix = '' if weekdays is None else ','.join(WEEKDAY_NAMES[d] for d in weekdays) + ' '
    date = f"*-{listed('months', 2)}-{listed('monthDays', 2)}"
    time = f"{listed('hours', 2)}:{listed('minutes', 2)}:00"
    return f'{prefix}{date} {time} {zone_name}'


def systemd_next(spec, after, count):
    output = subprocess.run(
        ['systemd-analyze', 'calendar', f'--iterations={count}', f'--base-time=@{int(after.timestamp())}', spec],
        check=True, capture_output=True, text=True, env={**os.environ, 'TZ': 'UTC'},
    ).stdout
    fires = []
    for line in output.splitlines():
        line = line.strip()
        if line.startswith('Next elapse:') or line.startswith('Iter. #'):
            stamp = ' '.join(line.split(':', 1)[1].split()[1:3])
            fires.append(epoch_ms(datetime.fromisoformat(stamp).replace(tzinfo=UTC)))
    return fires


def calendar_allows(filters, wall):
    checks = {'months': wall.month, 'monthDays': wall.day, 'weekdays': (wall.weekday() + 1) % 7,
              'hours': wall.hour, 'minutes': wall.minute}
    return wall.second == 0 and all(filters.get(k) is None or v in filters[k] for k, v in checks.items())


def expected_calendar(filters, zone, after, count):
    """Stem's rule, independently: every allowed minute by brute force, zoneinfo maps it."""
    wall = after.astimezone(zone).replace(tzinfo=None, second=0, microsecond=0) - timedelta(days=2)
    fires = []
    while len(fires) < count or wall <= fires[count - 1].astimezone(zone).replace(tzinfo=None) + timedelta(days=1):
        if calendar_allows(filters, wall):
            instants = instants_of(wall, zone)
            for instant in instants[:1] or [gap_end(wall, zone)]:
                if instant > after and instant not in fires:
                    fires.append(instant)
            fires.sort()
        # Whole days the filters reject are skipped at once to keep this fast.
        day_ok = calendar_allows({k: v for k, v in filters.items() if k in ('months', 'monthDays', 'weekdays')},
                                 wall.replace(hour=0, minute=0))
        wall = wall + timedelta(minutes=1) if day_ok else (wall + timedelta(days=1)).replace(hour=0, minute=0)
    return [epoch_ms(f) for f in fires[:count]]


def calendar_fixtures():
    cases = []
    for case_id, filters, zone_name, after_local, count, declared in CALENDAR_CASES:
        zone = ZoneInfo(zone_name)
        after = datetime.fromisoformat(after_local).replace(tzinfo=zone)
        expected = expected_calendar(filters, zone, after, count)
        spec = systemd_spec(filters, zone_name)
        systemd = systemd_next(spec, after, count)
        if (systemd != expected) != (declared is not None):
            raise SystemExit(f'{case_id}: systemd {"differs" if systemd != expected else "agrees"} '
                             f'but declared {declared}\n  expected {[local_iso(x, zone) for x in expected]}\n'
                             f'  systemd  {[local_iso(x, zone) for x in systemd]}')
        if declared == 'gap-skip':
            missing = [x for x in expected if x not in systemd and x <= systemd[-1]]
            if not missing or any(calendar_allows(filters, datetime.fromtimestamp(x / 1000, zone).replace(tzinfo=None)) for x in missing):
                raise SystemExit(f'{case_id}: systemd differs other than by skipping gap times')
        case = {'id': case_id, 'spec': {'kind': 'calendar', **filters}, 'timezone': zone_name,
                'after': epoch_ms(after), 'afterLocal': after.isoformat(), 'systemdSpec': spec,
                'expected': expected, 'expectedLocal': [local_iso(x, zone) for x in expected],
                'systemd': systemd}
        if declared is not None:
            case['systemdDivergence'] = {'category': declared, 'reason': SYSTEMD_REASONS[declared]}
        cases.append(case)
    version = subprocess.run(['systemd-analyze', '--version'], capture_output=True, text=True).stdout.split('\n')[0]
    return {'source': f'`systemd-analyze calendar` ({version}) and a brute-force minute walk + zoneinfo',
            'cases': cases}


# (id, event, latitude, longitude, offset ms, zone, after as local wall time, count,
#  tolerance s, why the tolerance is wider than the default if it is)
SOLAR_CASES = [
    ('london-sunrise', 'sunrise', 51.5074, -0.1278, 0, 'Europe/London', '2024-03-29T12:00', 4, 10, None),
    ('london-sunset', 'sunset', 51.5074, -0.1278, 0, 'Europe/London', '2024-10-25T12:00', 4, 10, None),
    ('london-solar-noon', 'solarNoon', 51.5074, -0.1278, 0, 'Europe/London', '2024-06-20T00:00', 3, 10, None),
    ('new-york-sunset-minus-30m', 'sunset', 40.7128, -74.0060, -1_800_000, 'America/New_York',
     '2024-03-09T12:00', 3, 10, None),
    ('new-york-dawn', 'dawn', 40.7128, -74.0060, 0, 'America/New_York', '2024-11-02T00:00', 3, 10, None),
    ('new-york-dusk', 'dusk', 40.7128, -74.0060, 0, 'America/New_York', '2024-11-02T00:00', 3, 10, None),
    ('lord-howe-nautical-dawn', 'nauticalDawn', -31.5553, 159.0821, 0, 'Australia/Lord_Howe',
     '2024-10-05T00:00', 3, 10, None),
    ('lord-howe-nautical-dusk', 'nauticalDusk', -31.5553, 159.0821, 0, 'Australia/Lord_Howe',
     '2024-04-06T00:00', 3, 10, None),
    ('kathmandu-astronomical-dawn', 'astronomicalDawn', 27.7172, 85.3240, 0, 'Asia/Kathmandu',
     '2024-02-28T00:00', 3, 10, None),
    ('kathmandu-astronomical-dusk', 'astronomicalDusk', 27.7172, 85.3240, 3_600_000, 'Asia/Kathmandu',
     '2024-02-28T00:00', 3, 10, None),
    ('quito-sunrise', 'sunrise', -0.1807, -78.4678, 0, 'America/Guayaquil', '2024-06-01T00:00', 3, 10, None),
    ('honolulu-sunset', 'sunset', 21.3069, -157.8583, 0, 'Pacific/Honolulu', '2024-01-01T00:00', 3, 10, None),
    ('auckland-sunrise', 'sunrise', -36.8485, 174.7633, 0, 'Pacific/Auckland', '2024-04-06T00:00', 3, 10, None),
    ('tromso-sunset-after-midsummer', 'sunset', 69.6492, 18.9553, 0, 'Europe/Oslo', '2024-06-21T12:00', 3,
     60, 'the first sunsets after the midnight sun graze the horizon: a small altitude difference '
          'moves them by tens of seconds'),
    ('tromso-sunrise-in-polar-night', 'sunrise', 69.6492, 18.9553, 0, 'Europe/Oslo', '2024-12-01T12:00', 3,
     60, 'the first sunrises after the polar night graze the horizon'),
    ('tromso-sunrise-mid-may', 'sunrise', 69.6492, 18.9553, 0, 'Europe/Oslo', '2024-05-10T12:00', 3, 30, None),
    ('longyearbyen-dusk-august', 'dusk', 78.2232, 15.6267, 0, 'Arctic/Longyearbyen', '2024-08-01T00:00', 3,
     86_400 + 900, 'known limitation: the first civil dusk after the summer is a dip below -6 degrees '
     'of a few minutes around solar midnight; suncalc uses the declination at solar noon, ~0.2 '
     'degrees off twelve hours later, and finds that first dusk one day after ephem does'),
    ('mcmurdo-solar-noon-polar-night', 'solarNoon', -77.8419, 166.6863, 0, 'Antarctica/McMurdo',
     '2024-06-21T00:00', 2, 10, None),
]

EPHEM_EVENTS = {
    'sunrise': ('next_rising', '-0:34', False), 'sunset': ('next_setting', '-0:34', False),
    'dawn': ('next_rising', '-6', True), 'dusk': ('next_setting', '-6', True),
    'nauticalDawn': ('next_rising', '-12', True), 'nauticalDusk': ('next_setting', '-12', True),
    'astronomicalDawn': ('next_rising', '-18', True), 'astronomicalDusk': ('next_setting', '-18', True),
}


def ephem_next(event, latitude, longitude, after):
    """The first `event` after `after` (aware), stepping over days the sun never gets there."""
    observer = ephem.Observer()
    observer.lat, observer.lon = str(latitude), str(longitude)
    observer.elevation = 0
    observer.pressure = 0  # refraction is in the horizon angle, as suncalc does it
    start = after.astimezone(UTC)
    for _ in range(400):
        observer.date = ephem.Date(start.replace(tzinfo=None))
        try:
            if event == 'solarNoon':
                found = observer.next_transit(ephem.Sun())
            else:
                method, horizon, use_center = EPHEM_EVENTS[event]
                observer.horizon = horizon
                found = getattr(observer, method)(ephem.Sun(), use_center=use_center)
            return ephem.Date(found).datetime().replace(tzinfo=UTC)
        except (ephem.AlwaysUpError, ephem.NeverUpError):
            start += timedelta(days=1)
    raise SystemExit(f'{event} at {latitude} never found')


def solar_fixtures():
    cases = []
    for case_id, event, lat, lon, offset, zone_name, after_local, count, tolerance, why in SOLAR_CASES:
        zone = ZoneInfo(zone_name)
        after = datetime.fromisoformat(after_local).replace(tzinfo=zone)
        fires, cursor = [], after
        for _ in range(count):
            instant = ephem_next(event, lat, lon, cursor - timedelta(milliseconds=offset)) + timedelta(milliseconds=offset)
            fires.append(epoch_ms(instant))
            cursor = instant + timedelta(seconds=1)
        case = {'id': case_id, 'spec': {'kind': 'solar', 'event': event, 'latitude': lat, 'longitude': lon,
                                        **({'offsetMs': offset} if offset else {})},
                'timezone': zone_name, 'after': epoch_ms(after), 'afterLocal': after.isoformat(),
                'expected': fires, 'expectedLocal': [local_iso(x, zone) for x in fires],
                'toleranceSeconds': tolerance}
        if why is not None:
            case['toleranceReason'] = why
        cases.append(case)
    return {'source': f'python3-ephem {ephem.__version__} (pressure 0; rise/set at -0:34 upper limb, '
                      'twilight at -6/-12/-18 degrees centre)', 'cases': cases}


def main():
    os.makedirs(OUT, exist_ok=True)
    write('cron.json', cron_fixtures())
    write('calendar.json', calendar_fixtures())
    write('solar.json', solar_fixtures())


def write(name, data):
    with open(os.path.join(OUT, name), 'w') as out:
        json.dump(data, out, indent=2)
        out.write('\n')
    print(f'wrote {name}')


if __name__ == '__main__':
    main()
