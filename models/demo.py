"""A believable small office for `--demo` and for screenshots: a lettings agency with a few months of history."""
from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta

from models import db as dbmod
from models import store
from models import tables as t

OFFICE_NAME = "Harbourside Lettings"
STAFF = (("Anna Keller", "admin"), ("Ben Okafor", "staff"), ("Chloé Martin", "staff"), ("Dev Patel", "staff"),
         ("Emma Lindqvist", "staff"))
FIRST = ("Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Noah", "Mia", "Jack", "Sophia", "Leo", "Grace",
         "Arthur", "Freya", "Oscar", "Lily", "Samir", "Priya", "Tomasz", "Aisha", "Lukas", "Niamh", "Mateo", "Yuki",
         "Rosa", "Kwame", "Elena", "Finn", "Hannah", "Ravi")
LAST = ("Thompson", "Walsh", "Nowak", "Hughes", "Bennett", "Osei", "Fischer", "Moreau", "Khan", "O'Brien",
        "Sato", "Rossi", "Jensen", "Clarke", "Mensah", "Duarte", "Ali", "Byrne", "Kowalski", "Evans")
ORGS = ("", "", "", "Bayview Holdings", "Quayside Dental", "Marlow & Finch Solicitors", "Northgate Plumbing",
        "Saltmarsh Cafe", "Old Harbour Trust", "Brightwater Electrics", "Cole Street Bakery", "Anchor Yoga Studio")
STREETS = ("Harbour Road", "Quay Street", "Marine Parade", "Chapel Lane", "Mill Street", "Station Road",
           "Church Walk", "Fisher's Row")

# (channel, rating, summary, topic): the topics are the office's defaults (Settings)
GOOD = (("phone", 1, "Confirmed the inspection time for Thursday", "Booking"),
        ("email", 1, "Sent the renewed tenancy agreement; signed the same day", "Follow-up"),
        ("visit", 2, "Viewing of the flat went very well, keen to apply", "Enquiry"),
        ("meeting", 2, "Quarterly review with the landlord: very happy with occupancy", "Follow-up"),
        ("invoice", 0, "Monthly statement sent", "Billing"),
        ("phone", 1, "Answered questions about the deposit scheme", "Enquiry"),
        ("email", 0, "Forwarded the gas safety certificate", None),
        ("visit", 1, "Key collection, all smooth", "Booking"),
        ("website", 0, "Maintenance request received through the website", "Enquiry"),
        ("phone", 2, "Thanked us for sorting the boiler so quickly", "Follow-up"),
        ("letter", 0, "Rent increase notice posted", "Billing"),
        ("meeting", 1, "Walked through the check-in inventory together", "Booking"),
        ("email", 1, "Sent a quote for the end-of-tenancy clean", "Quote"))
BAD = (("phone", -2, "Complained: boiler still broken after a week", "Complaint"),
       ("email", -1, "Unhappy that the invoice showed the wrong amount", "Billing"),
       ("visit", -2, "Contractor did not turn up for the agreed repair", "Complaint"),
       ("phone", -1, "Waited twenty minutes on hold, frustrated", "Enquiry"),
       ("invoice", -2, "Charged twice for the March management fee", "Billing"),
       ("email", -1, "Deposit return is taking longer than promised", "Follow-up"))
FIXES = (("phone", 1, "Called back: engineer booked for tomorrow morning, apologised", "Follow-up"),
         ("email", 2, "Refund of the duplicate fee confirmed, with an apology", "Billing"),
         ("visit", 1, "Repair done, checked everything works", "Follow-up"),
         ("phone", 1, "Explained the delay and gave a firm date", "Follow-up"))
# The last weeks' pattern the review should find: the billing touch point goes wrong far more often than the
# rest, and one colleague (Ben) keeps his call-backs late.
BILLING = (("invoice", -2, "Invoice sent to the old address again", "Billing"),
           ("email", -1, "Statement did not match the rent paid", "Billing"),
           ("invoice", -1, "Late fee charged although the rent arrived on time", "Billing"),
           ("phone", -2, "Angry call: charged for a repair the landlord agreed to pay", "Billing"),
           ("invoice", 0, "Monthly statement sent", "Billing"),
           ("email", 1, "Explained the statement line by line; understood", "Billing"))
CALLBACKS = ("Call back about the inspection date", "Call back with the contractor's quote",
             "Ring back once the landlord has decided", "Call back about the deposit")
PROMISES = ("Call back with the engineer's availability", "Send the corrected invoice",
            "Email the renewal terms", "Confirm the inspection date", "Chase the contractor for a quote",
            "Post the deposit certificate", "Check the smoke alarms are logged")
NOTES = ("Prefers calls after 5 pm; works shifts.", "Landlord of three flats on Harbour Road.",
         "Has a dog; give notice before inspections.", "Asked us not to use the mobile number on weekdays.",
         "Considering selling the property next year.", "Hard of hearing: email works better.")
CAUTIONS = ("Upset about the March invoice: check it is credited before discussing anything else.",
            "Complained twice about the boiler; escalate any new fault straight to Anna.")


# The colleague who is away this week (an index into STAFF), and since when: they did nothing since.
AWAY = 3
AWAY_SINCE = timedelta(days=1)


def _at_work(staff: list[int], who: int, at: datetime, now: datetime) -> int:
    """`who`, unless they are the colleague away at `at`: then the next colleague did it (nobody away logs)."""
    return staff[(AWAY + 1) % len(staff)] if who == staff[AWAY] and at >= now - AWAY_SINCE else who


def _at(day: datetime, hour: int, minute: int) -> datetime:
    return datetime.combine(day.date(), time(hour, minute)).astimezone().astimezone(UTC)


def seed_demo(now: datetime | None = None, *, clients: int = 60, seed: int = 7) -> dict[str, int]:
    """Fill the open (empty) database with the demo office; returns a few counts. One transaction."""
    now = now or datetime.now(UTC)
    rng = random.Random(seed)
    clock = [now - timedelta(days=150)]
    store.set_clock(lambda: clock[0])
    counts = {"staff": 0, "clients": 0, "interactions": 0, "notes": 0, "promises": 0}
    try:
        with dbmod.write_transaction():  # one transaction: the store's own writes nest as savepoints
            staff_ids = _seed_staff(counts)
            client_ids = [_seed_client(rng, n, now, clock, staff_ids, counts) for n in range(clients)]
            _seed_recent_weeks(rng, now, clock, staff_ids, client_ids, counts)
            clock[0] = now - timedelta(minutes=5)
            # One colleague is away this week: their promises show under Covering.
            store.set_away(staff_ids[AWAY], by=staff_ids[0], away_from=now - AWAY_SINCE,
                           away_until=now + timedelta(days=4), reason="Holiday")
            t.Meta.insert(key="office_name", value=OFFICE_NAME).on_conflict_replace().execute()
    finally:
        store.set_clock(None)
    return counts


def _seed_staff(counts: dict[str, int]) -> list[int]:
    ids: list[int] = []
    for name, role in STAFF:
        ids.append(store.add_staff(name, by=ids[0] if ids else None, role=role).id)  # type: ignore[arg-type]
        counts["staff"] += 1
    return ids


def _seed_client(rng: random.Random, n: int, now: datetime, clock: list[datetime], staff: list[int],
                 counts: dict[str, int]) -> int:
    first, last = FIRST[n % len(FIRST)], LAST[(n * 7) % len(LAST)]
    name = f"{first} {last}"
    org = ORGS[n % len(ORGS)]
    handler = staff[n % len(staff)]
    start = now - timedelta(days=rng.randint(20, 150))
    clock[0] = start
    cid = store.add_client(
        name=name, by=handler, organisation=org,
        phone=f"01632 {960000 + n * 37 % 40000:06d}",
        email=f"{first}.{last}{n}".lower().replace("'", "") + "@example.com",
        address=f"{rng.randint(1, 80)} {rng.choice(STREETS)}, Porthaven", usual_handler=handler,
        preferred_channel=rng.choice(("phone", "email", "", "")),
        caution=CAUTIONS[n % len(CAUTIONS)] if n % 17 == 3 else "",
    ).id
    counts["clients"] += 1
    kind = n % 6  # a spread of histories: steady, failure fixed, failure open, promises of every kind
    day = start
    events = rng.randint(4, 12)
    for i in range(events):
        day = day + timedelta(days=rng.randint(3, 20))
        at = _at(day, rng.randint(9, 16), rng.choice((0, 10, 25, 40, 55)))
        if at > now - timedelta(hours=1):
            break
        clock[0] = at
        who = _at_work(staff, staff[rng.randrange(len(staff))], at, now)
        if kind in (1, 2) and i == events // 2:
            channel, rating, summary, topic = rng.choice(BAD)
            bad = store.log_interaction(cid, by=who, summary=summary, rating=rating, channel=channel, at=at,
                                        topic=topic).id
            counts["interactions"] += 1
            if kind == 1 and rating < 0:
                fix_at = at + timedelta(hours=rng.choice((3, 20, 30)))
                if fix_at < now:
                    clock[0] = fix_at
                    channel, rating, summary, topic = rng.choice(FIXES)
                    store.log_interaction(cid, by=_at_work(staff, who, fix_at, now), summary=summary, rating=rating,
                                          channel=channel, at=fix_at, recovers=bad, apology=True, topic=topic)
                    counts["interactions"] += 1
            continue
        channel, rating, summary, topic = rng.choice(GOOD)
        store.log_interaction(cid, by=who, summary=summary, rating=rating, channel=channel, at=at, topic=topic)
        counts["interactions"] += 1
        if rng.random() < 0.25:
            clock[0] = at + timedelta(minutes=3)
            store.add_note(cid, by=who, text=rng.choice(NOTES), pinned=rng.random() < 0.3,
                           at=at + timedelta(minutes=3))
            counts["notes"] += 1
    _seed_promises(rng, kind, cid, now, clock, staff, handler, counts)
    return cid


def _seed_recent_weeks(rng: random.Random, now: datetime, clock: list[datetime], staff: list[int],
                       clients: list[int], counts: dict[str, int]) -> None:
    """Six busy weeks the review can learn from: billing goes wrong, Ben's call-backs come late."""
    ben = staff[1]
    for days_ago in range(42, 0, -1):
        day = now - timedelta(days=days_ago)
        if day.astimezone().weekday() >= 5:
            continue
        for _ in range(rng.randint(3, 6)):
            at = _at(day, rng.randint(9, 16), rng.choice((5, 20, 35, 50)))
            cid, who = rng.choice(clients), rng.choice(staff)
            canned = BILLING if rng.random() < 0.3 else GOOD + BAD[:1] if rng.random() < 0.9 else BAD
            channel, rating, summary, topic = rng.choice(canned)
            clock[0] = at
            bad = store.log_interaction(cid, by=who, summary=summary, rating=rating, channel=channel, at=at,
                                        topic=topic).id
            counts["interactions"] += 1
            fix_at = at + timedelta(hours=rng.choice((2, 6, 20, 40, 70)))
            if rating < 0 and rng.random() < 0.6 and fix_at < now - timedelta(minutes=10):
                channel, rating, summary, topic = rng.choice(FIXES)
                clock[0] = fix_at
                store.log_interaction(cid, by=who, summary=summary, rating=rating, channel=channel, at=fix_at,
                                      recovers=bad, apology=rng.random() < 0.7, topic=topic)
                counts["interactions"] += 1
        # a call-back promised most days; Ben's come late (or not at all), the others' mostly on time
        for hour in (10, 14)[:rng.randint(1, 2)]:
            owner = ben if rng.random() < 0.4 else rng.choice(staff)
            made = _at(day, hour, 0)
            due = made + timedelta(days=1, hours=7)
            clock[0] = made
            pid = store.make_promise(rng.choice(clients), by=owner, text=rng.choice(CALLBACKS), due=due).id
            counts["promises"] += 1
            late = rng.random() < (0.7 if owner == ben else 0.1)
            kept = due + timedelta(hours=rng.choice((5, 20, 60))) if late else due - timedelta(hours=rng.randint(1, 6))
            if kept < now - timedelta(minutes=10):
                clock[0] = kept
                store.keep_promise(pid, by=owner, at=kept, apology=late)


def _seed_promises(rng: random.Random, kind: int, cid: int, now: datetime, clock: list[datetime],
                   staff: list[int], handler: int, counts: dict[str, int]) -> None:
    text = rng.choice(PROMISES)
    if kind == 3:  # kept on time, some time ago
        clock[0] = now - timedelta(days=rng.randint(8, 20))
        pid = store.make_promise(cid, by=handler, text=text, due=clock[0] + timedelta(days=2)).id
        clock[0] += timedelta(days=1)
        store.keep_promise(pid, by=handler)
    elif kind == 4:  # overdue or broken, still open
        clock[0] = now - timedelta(days=rng.choice((2, 5)))
        store.make_promise(cid, by=handler, text=text, due=clock[0] + timedelta(days=1))
    elif kind == 5:  # due today or in the next days, some owned by the colleague who is away
        clock[0] = now - timedelta(hours=3)
        due = _at(now + timedelta(days=rng.choice((0, 0, 1, 2, 3))), 17, 0)
        if due <= now:  # late in the day: due within the next hours, on a round quarter hour
            later = now + timedelta(minutes=rng.choice((45, 75, 105, 135)))
            due = later.replace(minute=later.minute // 15 * 15, second=0, microsecond=0)
        owner = staff[AWAY] if rng.random() < 0.4 else handler
        store.make_promise(cid, by=_at_work(staff, handler, clock[0], now), text=text, due=due, owner=owner)
    else:
        return
    counts["promises"] += 1
