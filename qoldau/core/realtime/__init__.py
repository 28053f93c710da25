"""Real-time rooms: a 1:1 video call in the browser (WebRTC) with a text chat beside it,
signalled through Qoldau over a WebSocket (Django Channels).

An app plugs a kind of room in with `rooms.register_room_kind` (who takes part in which
room, and what happens when they join and leave) and draws the call with
``{% include "core/realtime/video_call.html" with room_kind="…" room_id=… %}``. Nothing
of a call is recorded: the pictures go from browser to browser, the chat is relayed and
forgotten, and Qoldau keeps only who is in a room while the call lasts."""
