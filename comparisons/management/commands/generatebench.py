"""
`manage.py generatebench`: a large, realistic data set for the load benchmark (bench/).

Published comparisons with factors, a verdict, tags and reader feedback, over enough tools and
categories that every pair is distinct. Bulk inserts keep it fast; the search index is then
built in batches by the very function saves use (`search.refresh_now`). Meant for an empty,
throw-away database.
"""

import random
from datetime import timedelta
from itertools import combinations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from comparisons import search
from comparisons.models import (
    Category,
    Comparison,
    Factor,
    Feedback,
    TaggedComparison,
    Tool,
    Verdict,
)
from comparisons.rendering import reading_minutes, render_markdown

WORDS = (
    "latency throughput schema migration cache index query replica cluster container deploy "
    "runtime compiler framework template router middleware session token queue worker stream "
    "backup restore upgrade license community ecosystem plugin extension typing testing "
    "debugging profiling memory startup concurrency async thread process network storage"
).split()
FACTORS = (
    "Learning curve",
    "Performance",
    "Ecosystem",
    "Documentation",
    "Hosting",
    "License",
    "Tooling",
    "Community",
)


# Real articles draw on a wide vocabulary with a few very common words (Zipf's law); a
# corpus of fifty words would make every search match every article.
SYLLABLES = "ka lo mi ne ru sa ti vo ze pa do fe gi hu ja ko lu ma no pe ri so tu va".split()
VOCABULARY = WORDS + sorted(
    {"".join(random.Random(n).choices(SYLLABLES, k=3)) for n in range(6000)}
)
WEIGHTS = [1 / (rank + 1) for rank in range(len(VOCABULARY))]


def sentence(rng, length=14):
    words = rng.choices(VOCABULARY, weights=WEIGHTS, k=length)
    return " ".join(words).capitalize() + "."


def paragraph(rng, sentences=4):
    return " ".join(sentence(rng) for _ in range(sentences))


class Command(BaseCommand):
    help = "Fill an empty database with a large benchmark data set."

    def add_arguments(self, parser):
        parser.add_argument("--comparisons", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, comparisons, seed, **options):
        if Comparison.objects.exists():
            raise CommandError("The database already holds comparisons; use an empty one.")
        rng = random.Random(seed)
        with transaction.atomic():
            created = self.generate(rng, comparisons)
        self.stdout.write("Building the search index…")
        search.refresh_now(Comparison.objects.values_list("pk", flat=True))
        self.stdout.write(self.style.SUCCESS(f"{created} comparisons generated."))

    def generate(self, rng, count):
        tool_count = 2
        while tool_count * (tool_count - 1) // 2 < count:
            tool_count += 1
        tool_count = max(tool_count + 10, 30)
        categories = Category.objects.bulk_create(
            Category(name=f"Category {n}", slug=f"category-{n}", position=n) for n in range(8)
        )
        tools = Tool.objects.bulk_create(
            Tool(
                name=f"Tool {n:04d}",
                slug=f"tool-{n:04d}",
                summary=sentence(rng),
                website=f"https://tool{n}.example/",
            )
            for n in range(tool_count)
        )
        tags = Tag.objects.bulk_create(
            Tag(name=f"{word}-{n}", slug=slugify(f"{word}-{n}")) for n in range(3) for word in WORDS
        )
        bodies = []
        for _ in range(20):
            body = "\n\n".join(
                f"## {word.capitalize()}\n\n{paragraph(rng)}\n\n{paragraph(rng)}"
                for word in rng.sample(WORDS, 4)
            )
            bodies.append((body, render_markdown(body)))
        pairs = rng.sample(list(combinations(tools, 2)), count)
        now = timezone.now()
        rows = []
        for index, (tool_a, tool_b) in enumerate(pairs):
            body, body_html = rng.choice(bodies)
            summary = paragraph(rng, 2)
            rows.append(
                Comparison(
                    title=f"{tool_a.name} vs {tool_b.name}",
                    slug=f"{tool_a.slug}-vs-{tool_b.slug}",
                    subtitle=sentence(rng, 8),
                    summary=summary,
                    body=body,
                    body_html=body_html,
                    reading_minutes=reading_minutes(summary, body),
                    tool_a=tool_a,
                    tool_b=tool_b,
                    category=rng.choice(categories),
                    status=Comparison.Status.PUBLISHED,
                    published_at=now - timedelta(hours=index + 1),
                    last_reviewed=(now - timedelta(days=rng.randint(1, 400))).date(),
                )
            )
        comparisons = Comparison.objects.bulk_create(rows, batch_size=500)
        Factor.objects.bulk_create(
            (
                Factor(
                    comparison=comparison,
                    name=name,
                    value_a=sentence(rng, 4),
                    value_b=sentence(rng, 4),
                    edge=rng.choice(["a", "b", "tie", ""]),
                    position=position,
                )
                for comparison in comparisons
                for position, name in enumerate(rng.sample(FACTORS, 6), start=1)
            ),
            batch_size=2000,
        )
        Verdict.objects.bulk_create(
            (
                Verdict(
                    comparison=comparison,
                    pick=rng.choice("ab"),
                    headline=sentence(rng, 8),
                    reason=paragraph(rng, 2),
                    use_a_if=sentence(rng),
                    use_b_if=sentence(rng),
                    consider_tool=rng.choice(tools) if rng.random() < 0.3 else None,
                    consider_note=sentence(rng),
                    bottom_line=sentence(rng),
                )
                for comparison in comparisons
            ),
            batch_size=1000,
        )
        TaggedComparison.objects.bulk_create(
            (
                TaggedComparison(content_object=comparison, tag=tag)
                for comparison in comparisons
                for tag in rng.sample(tags, 4)
            ),
            batch_size=2000,
        )
        Feedback.objects.bulk_create(
            (
                Feedback(
                    comparison=comparison,
                    would_pick=rng.choice(["a", "b", "other"]),
                    message=paragraph(rng, 1),
                    status=rng.choice(["new", "read", "resolved", "spam"]),
                    ip_hash=f"bench-{rng.randint(0, 999)}",
                    token=f"bench-{comparison.pk}-{n}",
                )
                for comparison in comparisons
                for n in range(rng.randint(0, 5))
            ),
            batch_size=2000,
        )
        return len(comparisons)
