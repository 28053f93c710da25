"""`{% video_call_config room_kind room_id as config %}`: what the call's script needs
(the socket's path and the page's words for each state and refusal), for `json_script`."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext

from qoldau.core.realtime.messages import MAX_CHAT_CHARS
from qoldau.core.realtime.rooms import valid_room
from qoldau.core.realtime.routing import socket_path

register = template.Library()


def _words() -> dict[str, str]:
    return {
        "connecting": gettext("Connecting to the call…"),
        "waiting": gettext("You are in the call. Waiting for the other person to join."),
        "negotiating": gettext("The other person is here. Connecting the video…"),
        "connected": gettext("Connected. You can see and hear each other."),
        "peer_away": gettext("The other person's connection dropped. Waiting for them to come back…"),
        "peer_left": gettext("The other person left the call."),
        "reconnecting": gettext("Your connection dropped. Reconnecting…"),
        "lost": gettext("The connection could not be restored. Reload the page to join again."),
        "left": gettext("You left the call."),
        "no_camera": gettext(
            "Your camera or microphone could not be used. You are in the call with the chat only."
        ),
        "not_allowed": gettext("You cannot join this call."),
        "room_full": gettext("This call already has two participants."),
        "replaced": gettext("This call was opened in another window; it continues there."),
        "too_large": gettext("The connection was closed because a message was too large."),
        "flood": gettext("The connection was closed because too many messages were sent."),
        "error": gettext("The call could not be opened. Try again in a moment."),
        "invalid_message": gettext("That message could not be sent."),
        "chat_too_fast": gettext("You are sending messages too fast. Wait a moment and send again."),
        "mute": gettext("Turn microphone off"),
        "unmute": gettext("Turn microphone on"),
        "camera_off": gettext("Turn camera off"),
        "camera_on": gettext("Turn camera on"),
        "remote_waiting": gettext("The other person's video will appear here."),
        "remote_of": gettext("Video of %(name)s (%(role)s)"),
        "you_wrote": gettext("You"),
        "sound_blocked": gettext("The browser held back the sound. Press “Turn the sound on” to hear."),
    }


@register.simple_tag
def video_call_config(room_kind: str, room_id: Any) -> dict[str, Any]:
    room = str(room_id)
    if not valid_room(room_kind, room):
        raise template.TemplateSyntaxError(f"Not a room: {room_kind!r} {room!r}.")
    return {"socket": socket_path(room_kind, room), "maxChat": MAX_CHAT_CHARS, "words": _words()}
