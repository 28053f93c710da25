// The video call of core/realtime/video_call.html: WebRTC between two browsers, with the
// offers, answers and ICE candidates carried by Qoldau's socket (/ws/call/<kind>/<room>/),
// a text chat beside the pictures, and a reconnection after a dropped connection within the
// server's grace period. Nothing is recorded: the media go from browser to browser.
//
// Who offers: the one who arrives second (the server says so in "welcome"); the one
// already there makes a fresh connection when told "peer joined" and answers.

const config = JSON.parse(document.getElementById("video-call-config").textContent);
const words = config.words;
const byId = (id) => document.getElementById(id);
const statusBox = byId("call-status");
const statusText = byId("call-status-text");
const localVideo = byId("call-local-video");
const remoteVideo = byId("call-remote-video");
const remoteCaption = byId("call-remote-caption");
const muteButton = byId("call-mute");
const cameraButton = byId("call-camera");
const soundButton = byId("call-sound");
const leaveButton = byId("call-leave");
const chatLog = byId("call-chat-log");
const chatForm = byId("call-chat-form");
const chatText = byId("call-chat-text");
const chatSend = byId("call-chat-send");
const chatError = byId("call-chat-error");

let socket = null;
let peer = null;
let localStream = null;
let iceServers = [];
let pendingCandidates = [];
let grace = 60;
let reconnectUntil = null;
let attempts = 0;
let finished = false; // left, refused or lost: no more reconnecting
let queue = Promise.resolve();

function setStatus(state, text) {
  statusBox.dataset.state = state;
  statusText.textContent = text;
}

function setChatEnabled(enabled) {
  chatText.disabled = !enabled;
  chatSend.disabled = !enabled;
}

function send(message) {
  if (socket && socket.readyState === WebSocket.OPEN) {
    socket.send(JSON.stringify(message));
  }
}

// Media ------------------------------------------------------------------------------------

async function startMedia() {
  try {
    localStream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
  } catch (error) {
    try {
      localStream = await navigator.mediaDevices.getUserMedia({ video: true });
    } catch (videoError) {
      localStream = null;
    }
  }
  if (!localStream) {
    setStatus("connecting", words.no_camera);
    return;
  }
  localVideo.srcObject = localStream;
  muteButton.disabled = localStream.getAudioTracks().length === 0;
  cameraButton.disabled = false;
}

function toggleTracks(button, tracks, onWord, offWord) {
  const turnOff = !button.classList.contains("is-off");
  for (const track of tracks) {
    track.enabled = !turnOff;
  }
  button.classList.toggle("is-off", turnOff);
  button.querySelector(".call-label").textContent = turnOff ? onWord : offWord;
}

function playRemote() {
  remoteVideo.play().catch(() => {
    // The browser refused sound without a press: play silently and offer the sound.
    remoteVideo.muted = true;
    remoteVideo.play().catch(() => {});
    soundButton.hidden = false;
    setStatus(statusBox.dataset.state, words.sound_blocked);
  });
}

// The peer connection ----------------------------------------------------------------------

function closePeer() {
  if (peer) {
    peer.close();
    peer = null;
  }
  pendingCandidates = [];
  remoteVideo.srcObject = null;
}

function newPeer() {
  closePeer();
  const connection = new RTCPeerConnection({ iceServers });
  connection.addEventListener("icecandidate", (event) => {
    if (event.candidate && connection === peer) {
      send({ type: "signal", data: { candidate: event.candidate.toJSON() } });
    }
  });
  connection.addEventListener("track", (event) => {
    const stream = event.streams[0] || new MediaStream([event.track]);
    if (remoteVideo.srcObject !== stream) {
      remoteVideo.srcObject = stream;
      playRemote();
    }
  });
  connection.addEventListener("connectionstatechange", () => {
    if (connection !== peer) return;
    if (connection.connectionState === "connected") {
      setStatus("connected", words.connected);
    } else if (connection.connectionState === "failed") {
      setStatus("away", words.peer_away);
    }
  });
  if (localStream) {
    for (const track of localStream.getTracks()) {
      connection.addTrack(track, localStream);
    }
  }
  peer = connection;
  return connection;
}

async function makeOffer() {
  const connection = newPeer();
  if (!localStream) {
    // Without a camera this side still receives the other's picture and sound.
    connection.addTransceiver("video", { direction: "recvonly" });
    connection.addTransceiver("audio", { direction: "recvonly" });
  }
  await connection.setLocalDescription(await connection.createOffer());
  const description = connection.localDescription;
  send({ type: "signal", data: { description: { type: description.type, sdp: description.sdp } } });
}

async function addCandidates() {
  const waiting = pendingCandidates;
  pendingCandidates = [];
  for (const candidate of waiting) {
    await peer.addIceCandidate(candidate).catch(() => {});
  }
}

async function onSignal(data) {
  if (data.description) {
    const description = data.description;
    if (description.type === "offer") {
      if (!peer || peer.signalingState !== "stable") {
        newPeer();
      }
      const connection = peer;
      await connection.setRemoteDescription(description);
      await connection.setLocalDescription(await connection.createAnswer());
      const answer = connection.localDescription;
      send({ type: "signal", data: { description: { type: answer.type, sdp: answer.sdp } } });
      await addCandidates();
    } else if (peer && peer.signalingState === "have-local-offer") {
      await peer.setRemoteDescription(description);
      await addCandidates();
    }
  } else if (data.candidate) {
    if (peer && peer.remoteDescription) {
      await peer.addIceCandidate(data.candidate).catch(() => {});
    } else {
      pendingCandidates.push(data.candidate);
    }
  }
}

// The signalling socket ----------------------------------------------------------------------

function showPeer(who) {
  remoteCaption.textContent = who
    ? words.remote_of.replace("%(name)s", who.name).replace("%(role)s", who.role)
    : words.remote_waiting;
}

async function handle(message) {
  switch (message.type) {
    case "welcome":
      grace = message.grace;
      iceServers = message.iceServers;
      reconnectUntil = null;
      attempts = 0;
      setChatEnabled(true);
      showPeer(message.peer);
      if (message.offer) {
        setStatus("negotiating", words.negotiating);
        await makeOffer();
      } else {
        closePeer();
        setStatus("waiting", words.waiting);
      }
      break;
    case "peer":
      if (message.state === "joined") {
        showPeer(message.peer);
        setStatus("negotiating", words.negotiating);
        newPeer();
      } else if (message.state === "away") {
        setStatus("away", words.peer_away);
      } else {
        closePeer();
        showPeer(null);
        setStatus("waiting", words.peer_left);
      }
      break;
    case "signal":
      await onSignal(message.data);
      break;
    case "chat":
      addChat(message);
      break;
    case "error":
      showChatError(words[message.code] || words.error);
      break;
    case "refused":
      finish("refused", words[message.code] || words.error);
      break;
    default:
      break;
  }
}

function connect() {
  socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + config.socket);
  socket.addEventListener("message", (event) => {
    let message;
    try {
      message = JSON.parse(event.data);
    } catch (error) {
      return;
    }
    // One message at a time, in order: an answer must be applied before its candidates.
    queue = queue.then(() => handle(message)).catch((error) => console.error(error));
  });
  socket.addEventListener("close", onClose);
}

function onClose() {
  setChatEnabled(false);
  if (finished) return;
  // A dropped connection: try again until the grace period the server keeps our place ends.
  if (reconnectUntil === null) {
    reconnectUntil = Date.now() + grace * 1000;
  }
  if (Date.now() >= reconnectUntil) {
    finish("ended", words.lost);
    return;
  }
  setStatus("reconnecting", words.reconnecting);
  attempts += 1;
  window.setTimeout(connect, Math.min(500 * attempts, 5000));
}

function finish(state, text) {
  finished = true;
  closePeer();
  if (localStream) {
    for (const track of localStream.getTracks()) track.stop();
  }
  setStatus(state, text);
  setChatEnabled(false);
  for (const button of [muteButton, cameraButton, leaveButton]) button.disabled = true;
}

// The chat ---------------------------------------------------------------------------------

function addChat(message) {
  const item = document.createElement("li");
  if (message.mine) item.classList.add("mine");
  const who = document.createElement("span");
  who.className = "who";
  who.textContent = (message.mine ? words.you_wrote : message.name) + ":";
  const text = document.createElement("span");
  text.textContent = message.text;
  item.append(who, " ", text);
  chatLog.append(item);
  chatLog.parentElement.scrollTop = chatLog.parentElement.scrollHeight;
}

function showChatError(text) {
  chatError.textContent = text;
  chatError.hidden = false;
}

function sendChat() {
  const text = chatText.value.trim();
  if (!text) return;
  if (text.length > config.maxChat) {
    showChatError(words.invalid_message);
    return;
  }
  chatError.hidden = true;
  send({ type: "chat", text });
  chatText.value = "";
}

chatForm.addEventListener("submit", (event) => {
  event.preventDefault();
  sendChat();
});
chatText.addEventListener("keydown", (event) => {
  // Enter sends, Shift+Enter starts a new line.
  if (event.key === "Enter" && !event.shiftKey) {
    event.preventDefault();
    sendChat();
  }
});

muteButton.addEventListener("click", () => {
  toggleTracks(muteButton, localStream ? localStream.getAudioTracks() : [], words.unmute, words.mute);
});
cameraButton.addEventListener("click", () => {
  toggleTracks(cameraButton, localStream ? localStream.getVideoTracks() : [], words.camera_on, words.camera_off);
});
soundButton.addEventListener("click", () => {
  remoteVideo.muted = false;
  remoteVideo.play().catch(() => {});
  soundButton.hidden = true;
});
leaveButton.addEventListener("click", () => {
  send({ type: "leave" });
  finish("ended", words.left);
});

// The camera first (so that the first offer carries its tracks), then the socket; the page
// finishes loading meanwhile.
startMedia().then(connect);
