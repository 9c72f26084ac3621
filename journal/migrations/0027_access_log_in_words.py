"""The access log names what was opened in words, never by an id: the targets logged
before (an entry's number, a week's or month's ISO date, a range's key, a principle's
slug) are written out as the log now writes them."""

import datetime

from django.db import migrations

RANGES = {"4w": "Last 4 weeks", "12w": "Last 12 weeks", "1y": "Last year", "all": "All time"}
# The principles' titles when this was written.
PRINCIPLES = {
    "stop-the-games": "Set down the strategies",
    "about-face": "Make a clean about-face",
    "effortless": "Bring back how easy it was",
    "back-off": "Ease off the pressure",
    "approachable": "Be approachable and agreeable",
    "positive-emotions": "Leave good feelings behind",
    "encourage": "Encourage, don't try to make",
    "playfulness": "Playfulness opens a door; it is not the house",
    "hope": "Keep hope, on your own terms",
}


def _entry(Interaction, visit) -> str:
    entry = Interaction.objects.filter(pk=int(visit.target), owner=visit.share.owner_id).first()
    if entry is None:
        return ""  # since deleted: "An entry"
    words = f"{entry.date:%-d %B %Y}"
    return f"{words}, {entry.time:%H:%M}" if entry.time else words


def _day(text: str, shown: str) -> str:
    try:
        return datetime.date.fromisoformat(text).strftime(shown)
    except ValueError:
        return text


def in_words(apps, schema_editor):
    AccessLog = apps.get_model("journal", "AccessLog")
    Interaction = apps.get_model("journal", "Interaction")
    for visit in AccessLog.objects.exclude(target="").select_related("share").iterator():
        target = visit.target
        if visit.what == "entry" and target.isdigit():
            target = _entry(Interaction, visit)
        elif visit.what == "review":
            target = _day(target, "%-d %B %Y")
        elif visit.what == "calendar":
            target = _day(f"{target}-01", "%B %Y")
        elif visit.what == "trends":
            target = RANGES.get(target, target)
        elif visit.what == "guidance":
            target = PRINCIPLES.get(target, target)
        if target != visit.target:
            AccessLog.objects.filter(pk=visit.pk).update(target=target)


class Migration(migrations.Migration):
    dependencies = [("journal", "0026_accesslog_summary")]

    operations = [migrations.RunPython(in_words, migrations.RunPython.noop)]
