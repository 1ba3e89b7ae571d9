"""
`/compare/<slug>/disagree/`: the “Disagree?” form on its own (GET) and its POST target.

Nothing a reader types is lost: every refusal shows the form again with their text and a
message saying why; only the honeypot pretends to succeed.
"""

import logging

from django.db import DatabaseError, IntegrityError, transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from .. import antispam, invalidation, notifications, pagecache
from ..forms import FeedbackForm
from ..metrics import NOTES
from ..models import Comparison, Feedback
from .meta import SITE_NAME

logger = logging.getLogger(__name__)

THANKS_QUERY = "feedback=sent"


def thanks_url(comparison):
    return f"{comparison.get_absolute_url()}?{THANKS_QUERY}#disagree"


class RateLimited(Exception):
    """This client has sent as many notes as the limit allows; nothing was stored."""


@method_decorator(csrf_exempt, name="dispatch")  # the stamp and its cookie do CSRF's job
class DisagreeView(View):
    """
    GET shows the form alone (the same for every reader, so it is cached like the article);
    POST stores a note — or, for a reader whose form has no stamp yet (JavaScript off), shows it
    back once with one, to send again.
    """

    template_name = "comparisons/disagree.html"

    def get_comparison(self, slug):
        queryset = (
            Comparison.objects.published()
            .select_related("tool_a", "tool_b", "verdict")
            .prefetch_related("factors")
        )
        return get_object_or_404(queryset, slug=slug)

    def get(self, request, slug):
        comparison = self.get_comparison(slug)
        return self.show(request, comparison, FeedbackForm(comparison=comparison))

    def post(self, request, slug):
        comparison = self.get_comparison(slug)
        reader = antispam.reader_key(request)
        form = FeedbackForm(request.POST, comparison=comparison, reader=reader)
        if request.POST.get("website"):
            # A bot filled the honeypot: it is told it worked, and nothing is kept.
            NOTES.labels(outcome="honeypot").inc()
            return redirect(thanks_url(comparison))
        if not request.POST.get("stamp") or reader is None:
            return self.confirm(request, comparison, form)
        if not form.is_valid():
            NOTES.labels(outcome="invalid").inc()
            form.refresh_stamp(reader)
            return self.show(request, comparison, form, reader=reader)
        feedback = form.save(commit=False)
        feedback.comparison = comparison
        feedback.token = form.nonce
        feedback.ip_hash = antispam.hash_ip(antispam.client_ip(request))
        feedback.user_agent = antispam.user_agent(request)
        try:
            with transaction.atomic():
                antispam.hold_client(feedback.ip_hash)
                if antispam.over_rate_limit(feedback.ip_hash):
                    raise RateLimited
                feedback.save()
                transaction.on_commit(lambda: notifications.new_feedback(feedback))
        except RateLimited:
            NOTES.labels(outcome="rate_limited").inc()
            notice = (
                "You have sent several notes in the last few minutes; please wait a little "
                "before sending this one. Your text is kept below."
            )
            return self.show(
                request, comparison, form.kept(reader), notice=notice, status=429, reader=reader
            )
        except IntegrityError:
            earlier = Feedback.objects.filter(token=feedback.token).first()
            if earlier is None:
                return self.apologise(request, comparison, form, reader)
            NOTES.labels(outcome="duplicate").inc()
            if earlier.message == feedback.message:
                # The same form sent twice (double click, reload): one row is enough.
                return redirect(thanks_url(comparison))
            notice = (
                "This form has already carried one note to the editors. To send this one too, "
                "send it again from the form below: your text is kept."
            )
            return self.show(
                request, comparison, form.kept(reader), notice=notice, status=409, reader=reader
            )
        except DatabaseError:
            return self.apologise(request, comparison, form, reader)
        NOTES.labels(outcome="accepted").inc()
        return redirect(thanks_url(comparison))

    def confirm(self, request, comparison, form):
        """No stamp yet (JavaScript off, or the cookie lost): one more step, nothing lost."""
        NOTES.labels(outcome="confirm").inc()
        reader = antispam.reader_key(request) or antispam.new_reader_key()
        form.is_valid()
        form.errors.pop("stamp", None)  # the stamp comes now; other mistakes are said at once
        if form.errors:
            form.refresh_stamp(reader)
            shown, notice = form, ""
        else:
            shown = form.kept(reader)
            notice = (
                "One more step, to keep robots out: check your note below and press "
                "“Send to the editors” again."
            )
        response = self.show(request, comparison, shown, notice=notice, reader=reader)
        antispam.set_reader_cookie(response, reader)
        return response

    def apologise(self, request, comparison, form, reader):
        NOTES.labels(outcome="failed").inc()
        logger.exception("Could not store feedback on %s", comparison.slug)
        notice = (
            "Sorry — we could not save your note just now. Nothing is lost: your text is "
            "below. Please try again in a minute."
        )
        return self.show(
            request, comparison, form.kept(reader), notice=notice, status=503, reader=reader
        )

    def show(self, request, comparison, form, notice="", status=200, reader=None):
        context = {
            "comparison": comparison,
            "form": form,
            "notice": notice,
            "tally": Feedback.objects.tally(comparison),
            "meta": {
                "title": f"Disagree with “{comparison.title}”?",
                "document_title": f"Disagree with “{comparison.title}”? · {SITE_NAME}",
                "description": f"Tell the editors which you would pick: {comparison.summary}",
                "type": "website",
            },
        }
        response = render(request, self.template_name, context, status=status)
        if reader is not None:
            # A form for one reader: never kept by any cache.
            response["Cache-Control"] = "private, no-store"
        tags = invalidation.for_comparison(comparison) | {invalidation.tally(comparison.pk)}
        response.cache_deps = lambda: tags
        return response


@never_cache
@require_GET
def stamp(request, slug):
    """
    A fresh stamp for the reader who starts on the form (disagree.js), with the cookie it goes
    with: the one per-reader request of an article page, tiny and never cached. The stamp names
    the article by its slug, so a reader of a cached article never waits on the database: only
    an article not in the page cache is looked up (404 unless published).
    """
    if not pagecache.is_cached(reverse("comparisons:detail", args=[slug])):
        get_object_or_404(Comparison.objects.published().only("pk"), slug=slug)
    reader = antispam.reader_key(request) or antispam.new_reader_key()
    response = JsonResponse({"stamp": antispam.issue_stamp(article=slug, reader=reader)})
    antispam.set_reader_cookie(response, reader)
    response["X-Robots-Tag"] = "noindex"
    return response
