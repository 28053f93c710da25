from django.urls import path

from qoldau.consult import views

app_name = "consult"

urlpatterns = [
    path("", views.chat, name="chat"),
    path("ask/", views.chat_ask, name="ask"),
    path("human/", views.chat_request_human, name="human"),
    path("log/", views.chat_log, name="log"),
    path("queue/", views.queue, name="queue"),
    path("conversations/<id:conversation_id>/", views.conversation_detail, name="conversation"),
    path("conversations/<id:conversation_id>/take/", views.conversation_take, name="take"),
    path("conversations/<id:conversation_id>/reply/", views.conversation_reply, name="reply"),
    path("conversations/<id:conversation_id>/close/", views.conversation_close, name="close"),
]
