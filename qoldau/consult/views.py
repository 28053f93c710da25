"""Pages of consultations: the public web chat (keyed by the Django session), and the
consultants' queue and conversation pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from qoldau.consult import policy, selectors, services
from qoldau.consult.forms import AskForm, CloseForm, ReplyForm
from qoldau.consult.models import Conversation
from qoldau.consult.services import HandOffCheck
from qoldau.core.errors import ApplicationError, NotFound, RateLimited
from qoldau.core.forms import add_service_error
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


def _log_context(conversation: Conversation | None, refusal: str = "") -> dict[str, Any]:
    log = selectors.conversation_messages_own(conversation) if conversation else []
    return {"conversation": conversation, "log": log, "last_id": log[-1].pk if log else 0, "refusal": refusal}


def _chat_page(
    request: HttpRequest, form: AskForm | None = None, status: int = 200, refusal: str = ""
) -> HttpResponse:
    context = _log_context(_open_conversation(request), refusal)
    context["form"] = form or AskForm()
    return render(request, "consult/chat.html", context, status=status)


def _with_retry_after(response: HttpResponse, error: ApplicationError | None) -> HttpResponse:
    if isinstance(error, RateLimited):
        response["Retry-After"] = str(error.retry_after)
    return response


@require_GET
def chat(request: HttpRequest) -> HttpResponse:
    return _chat_page(request)


@require_GET
def chat_log(request: HttpRequest) -> HttpResponse:
    """The log fragment, polled while a consultant is awaited or answering; nothing new
    since `after` in the same `status` answers 204, which htmx does not swap."""
    conversation = _open_conversation(request)
    context = _log_context(conversation)
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
        context = _log_context(_open_conversation(request), errors[0] if errors else "")
        return _with_retry_after(render(request, "consult/_log.html", context, status=status), refused)
    if form.errors:
        return _with_retry_after(_chat_page(request, form, status=status), refused)
    return redirect(reverse("consult:chat") + "#chat-log")


@require_POST
def chat_request_human(request: HttpRequest) -> HttpResponse:
    """The person asks for a consultant. Refused, with nothing stored, when they have not
    asked a question yet or their address passed too many conversations to consultants."""
    conversation = _open_conversation(request)
    try:
        services.conversation_request_human(
            conversation=conversation, before_hand_off=_hand_off_limit(request)
        )
    except ApplicationError as exc:
        status = exc.status if isinstance(exc, RateLimited) else 400
        if request.htmx:  # type: ignore[attr-defined]
            context = _log_context(conversation, exc.render())
            response = render(request, "consult/_log.html", context, status=status)
        else:
            response = _chat_page(request, status=status, refusal=exc.render())
        return _with_retry_after(response, exc)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "consult/_log.html", _log_context(_open_conversation(request)))
    return redirect(reverse("consult:chat") + "#chat-log")


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    policy.check_may_see_consultation_queue(request.user)
    return render(
        request, "consult/queue.html", {"conversations": selectors.consultation_queue(request.user)}
    )


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
) -> HttpResponse:
    context = {
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
