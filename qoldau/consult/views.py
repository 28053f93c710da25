"""Pages of consultations: the public web chat (keyed by the Django session), and the
consultants' queue and conversation pages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from qoldau.consult import policy, selectors, services
from qoldau.consult.forms import AskForm, CloseForm, HandOffForm, ReplyForm
from qoldau.consult.models import Conversation
from qoldau.consult.services import HandOffCheck
from qoldau.core.errors import ApplicationError, NotFound, RateLimited, ValidationFailed
from qoldau.core.forms import add_service_error
from qoldau.core.i18n import LANGUAGE_NAMES
from qoldau.core.ratelimit import rate_limit_request, rate_limit_take, session_bucket
from qoldau.projects.models import Project
from qoldau.projects.services import consultation_projects


def _session_key(request: HttpRequest) -> str:
    if not request.session.session_key:
        request.session.save()
        # The message that starts the session was let through on its address's bucket;
        # the new session's own bucket starts with it taken (a new bucket is never short).
        rate_limit_take([session_bucket("chat", str(request.session.session_key))])
    return str(request.session.session_key)


def _open_conversation(request: HttpRequest) -> Conversation | None:
    key = request.session.session_key
    return selectors.conversation_open_for(channel=Conversation.Channel.WEB, channel_key=key) if key else None


# Refusals of the flood limits (`settings.QOLDAU_RATE_LIMITS`).
TOO_MANY_MESSAGES = gettext_lazy(
    "You are sending messages too quickly. Wait a little, then send your question again."
)
TOO_MANY_HAND_OFFS = gettext_lazy(
    "Too many conversations were passed to consultants from your connection. Try again later."
)


def _hand_off_limit(request: HttpRequest) -> HandOffCheck:
    def check() -> None:
        rate_limit_request(request, per_address="handoff_address", message=TOO_MANY_HAND_OFFS)

    return check


def duration_words(seconds: float) -> str:
    """A wait in words, rounded up to the minute ("1 hour 5 minutes")."""
    minutes = max(1, -(-int(seconds) // 60))
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    parts = []
    if days:
        parts.append(ngettext("%(n)s day", "%(n)s days", days) % {"n": days})
    if hours:
        parts.append(ngettext("%(n)s hour", "%(n)s hours", hours) % {"n": hours})
    if minutes and not days:
        parts.append(ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes})
    return " ".join(parts)


def _wait_sentence(conversation: Conversation) -> str:
    """How long a first reply usually takes: measured when enough hand-offs were answered
    lately, else the configured promise, else that it cannot be told yet. Never a guess."""
    typical = selectors.typical_wait(conversation.organisation_id)
    if typical is not None:
        return _(
            "Over the last 30 days, half of the people who asked got a consultant's first reply "
            "within %(wait)s."
        ) % {"wait": duration_words(typical)}
    if settings.QOLDAU_CONSULT_PROMISED_HOURS:
        hours = settings.QOLDAU_CONSULT_PROMISED_HOURS
        return ngettext(
            "Consultants aim to reply within %(hours)s hour.",
            "Consultants aim to reply within %(hours)s hours.",
            hours,
        ) % {"hours": hours}
    return _("Too few requests have been answered yet to say how long a reply usually takes.")


def _log_context(
    conversation: Conversation | None,
    refusal: str = "",
    *,
    fragment: bool = False,
    handed_off_now: bool = False,
) -> dict[str, Any]:
    log = selectors.conversation_messages_own(conversation) if conversation else []
    context: dict[str, Any] = {
        "conversation": conversation,
        "log": log,
        "last_id": log[-1].pk if log else 0,
        "refusal": refusal,
        # A fragment also replaces the hand-off form (out of band): gone once handed off.
        "fragment": fragment,
        "handed_off_now": handed_off_now,
    }
    if conversation is not None and conversation.status == Conversation.Status.WAITING:
        context["wait_sentence"] = _wait_sentence(conversation)
    if conversation is None or conversation.status == Conversation.Status.BOT:
        context["handoff_form"] = HandOffForm(
            auto_id="handoff_%s", region_id=conversation.region_id if conversation else None
        )
    return context


def _chat_page(
    request: HttpRequest,
    form: AskForm | None = None,
    status: int = 200,
    refusal: str = "",
    handed_off_now: bool = False,
) -> HttpResponse:
    context = _log_context(_open_conversation(request), refusal, handed_off_now=handed_off_now)
    context["form"] = form or AskForm()
    return render(request, "consult/chat.html", context, status=status)


def _with_retry_after(response: HttpResponse, error: ApplicationError | None) -> HttpResponse:
    if isinstance(error, RateLimited):
        response["Retry-After"] = str(error.retry_after)
    return response


@require_GET
def chat(request: HttpRequest) -> HttpResponse:
    # After the hand-off without JavaScript, the confirmation takes the focus once.
    return _chat_page(request, handed_off_now=request.GET.get("handed_off") == "1")


@require_GET
def chat_log(request: HttpRequest) -> HttpResponse:
    """The log fragment, polled while a consultant is awaited or answering; nothing new
    since `after` in the same `status` answers 204, which htmx does not swap."""
    conversation = _open_conversation(request)
    context = _log_context(conversation, fragment=True)
    status = conversation.status if conversation else ""
    if request.GET.get("after") == str(context["last_id"]) and request.GET.get("status") == status:
        return HttpResponse(status=204)
    return render(request, "consult/_log.html", context)


@require_POST
def chat_ask(request: HttpRequest) -> HttpResponse:
    """A question to the assistant. Over the flood limit (this session's or this address's
    messages, or the address's hand-offs when the question would go to a consultant) it is
    refused with 429 and nothing is kept, not even a new conversation."""
    form = AskForm(request.POST)
    refused: ApplicationError | None = None
    new_session = not request.session.session_key
    try:
        rate_limit_request(request, per_address="chat_address", per_session="chat", message=TOO_MANY_MESSAGES)
        if form.is_valid():
            conversation = services.conversation_for(
                channel=Conversation.Channel.WEB,
                channel_key=_session_key(request),
                language=get_language(),
                save=False,
            )
            services.conversation_ask(
                conversation=conversation,
                text=form.cleaned_data["text"],
                lang=get_language(),
                before_hand_off=_hand_off_limit(request),
            )
    except ApplicationError as exc:
        refused = exc
        if new_session and request.session.session_key:
            request.session.flush()  # started for this message, which was not kept
        form.is_valid()  # the flood limit is asked before the form is read
        add_service_error(form, exc)
    status = refused.status if isinstance(refused, RateLimited) else 200
    if request.htmx:  # type: ignore[attr-defined]
        errors = [str(error) for errors in form.errors.values() for error in errors]
        context = _log_context(_open_conversation(request), errors[0] if errors else "", fragment=True)
        return _with_retry_after(render(request, "consult/_log.html", context, status=status), refused)
    if form.errors:
        return _with_retry_after(_chat_page(request, form, status=status), refused)
    return redirect(reverse("consult:chat") + "#chat-log")


@require_POST
def chat_request_human(request: HttpRequest) -> HttpResponse:
    """The person asks for a consultant, with their region if they choose one. Answered at
    once with the confirmation (what happens next, how long it usually takes), which takes
    the focus. Refused, with nothing stored, when they have not asked a question yet, chose
    no region of the list, or their address passed too many conversations to consultants."""
    conversation = _open_conversation(request)
    form = HandOffForm(request.POST, auto_id="handoff_%s")
    try:
        if not form.is_valid():
            raise ValidationFailed(_("Choose a region from the list."), field="region")
        services.conversation_request_human(
            conversation=conversation,
            region_id=form.cleaned_data["region"],
            before_hand_off=_hand_off_limit(request),
        )
    except ApplicationError as exc:
        status = exc.status if isinstance(exc, RateLimited) else 400
        if request.htmx:  # type: ignore[attr-defined]
            context = _log_context(conversation, exc.render(), fragment=True)
            response = render(request, "consult/_log.html", context, status=status)
        else:
            response = _chat_page(request, status=status, refusal=exc.render())
        return _with_retry_after(response, exc)
    if request.htmx:  # type: ignore[attr-defined]
        context = _log_context(_open_conversation(request), fragment=True, handed_off_now=True)
        return render(request, "consult/_log.html", context)
    return redirect(reverse("consult:chat") + "?handed_off=1#handoff-confirmation")


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The queue of the consultant's organisations, or every organisation's for a system
    administrator, with the time to first reply of the last 30 days."""
    policy.check_may_see_consultation_queue(request.user)
    conversations = list(selectors.consultation_queue(request.user))
    figures = [
        {
            "line": line,
            "median": duration_words(line.median_seconds) if line.median_seconds is not None else "",
            "p90": duration_words(line.p90_seconds) if line.p90_seconds is not None else "",
        }
        for line in selectors.first_reply_figures(request.user)
    ]
    topics = selectors.topic_titles({c.topic for c in conversations if c.topic}, get_language())
    answered_by_me = policy.organisations_answered_by(request.user)
    now = timezone.now()
    context = {
        "rows": [
            {
                "conversation": conversation,
                "topic": topics.get(conversation.topic, conversation.topic),
                # Opened and taken only by the organisation's consultants.
                "mine": conversation.organisation_id in answered_by_me,
                # Our own words for the wait (Django's timesince has no Kazakh plural forms).
                "waiting": (
                    duration_words((now - conversation.handed_off_at).total_seconds())
                    if conversation.handed_off_at
                    else ""
                ),
                "language": LANGUAGE_NAMES.get(conversation.language, conversation.language),
            }
            for conversation in conversations
        ],
        "every_queue": policy.sees_every_queue(request.user),
        "figures": figures,
        "figures_days": selectors.FIGURES_DAYS,
    }
    return render(request, "consult/queue.html", context)


def _projects_of(conversation: Conversation) -> list[Project]:
    if conversation.organisation_id is None:
        return []
    return consultation_projects(conversation.organisation_id)


def _conversation_page(
    request: HttpRequest,
    conversation: Conversation,
    reply_form: ReplyForm | None = None,
    close_form: CloseForm | None = None,
    status: int = 200,
    refusal: str = "",
) -> HttpResponse:
    context = {
        "refusal": refusal,
        "conversation": conversation,
        "log": selectors.conversation_messages_for_consultant(request.user, conversation),
        "holds": policy.may_answer_conversation(request.user, conversation),
        "reply_form": reply_form or ReplyForm(auto_id="reply_%s"),
        "close_form": close_form or CloseForm(auto_id="close_%s", projects=_projects_of(conversation)),
    }
    return render(request, "consult/conversation.html", context, status=status)


@login_required
def conversation_detail(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = selectors.conversation_get_for_consultant(request.user, conversation_id)
    return _conversation_page(request, conversation)


@login_required
@require_POST
def conversation_take(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = selectors.conversation_get_for_consultant(request.user, conversation_id)
    try:
        services.conversation_take(actor=request.user, conversation=conversation)
    except ApplicationError as exc:
        if isinstance(exc, NotFound):
            raise
        messages.error(request, exc.render())
        return redirect("consult:queue")
    return redirect("consult:conversation", conversation_id=conversation.pk)


@login_required
@require_POST
def conversation_reply(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = selectors.conversation_get_for_consultant(request.user, conversation_id)
    form = ReplyForm(request.POST, auto_id="reply_%s")
    if form.is_valid():
        try:
            services.conversation_reply(
                actor=request.user, conversation=conversation, text=form.cleaned_data["text"]
            )
        except ApplicationError as exc:
            if isinstance(exc, NotFound):
                raise
            if exc.field != "text":
                # Closed, or no longer theirs: the form is gone from the page, the reason is shown.
                conversation.refresh_from_db()
                return _conversation_page(request, conversation, status=exc.status, refusal=exc.render())
            add_service_error(form, exc)
        else:
            return redirect(reverse("consult:conversation", args=[conversation.pk]) + "#conversation-log")
    return _conversation_page(request, conversation, reply_form=form)


@login_required
@require_POST
def conversation_close(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = selectors.conversation_get_for_consultant(request.user, conversation_id)
    form = CloseForm(request.POST, auto_id="close_%s", projects=_projects_of(conversation))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.conversation_close(
                actor=request.user,
                conversation=conversation,
                outcome=data["outcome"],
                record=services.ConsultationToRecord(
                    iin=data["iin"],
                    project_id=data["project"],
                    service_code=data["service"] or "legal_consultation",
                )
                if data["iin"].strip()
                else None,
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The conversation is closed."))
            return redirect("consult:queue")
    return _conversation_page(request, conversation, close_form=form)
