// The baseline page of `npm run bench:join` (see bench/joinBaseline.ts): a bare mediasoup-client
// join of a Livedesk call, with no app UI, no React, no REST and no statistics: what any
// mediasoup application has to do to get the same call on screen, through the same server and
// the same signaling. Bundled by the driver with esbuild and served from a page of its own.
//
// It offers the DOM the driver's page instrumentation looks for (bench/join.ts), so both pages are
// measured by the same code: the agent's "Start video call" button; at the customer, a dialog with
// "Accept" when the call rings, then "Join call" once the camera and microphone are open (as the
// device check: getUserMedia before the click); on both sides the remote camera in
// `<video data-remote="true" data-source="camera">`.
import { Device } from 'mediasoup-client';
import type { Consumer, Transport } from 'mediasoup-client/types';
import { io, type Socket } from 'socket.io-client';
import type {
  AckResult,
  CallConsumerParams,
  CallJoinResult,
  CallProducerNotice,
  CallTransportParams,
  CallView,
  ClientToServerEvents,
  Json,
  ServerToClientEvents,
} from '../signaling/shared/protocol';

interface BaselineConfig {
  /** The Livedesk server (another origin: it admits this page through ALLOWED_ORIGINS). */
  server: string;
  token: string;
  side: 'agent' | 'customer';
}

const query = new URLSearchParams(location.search);
const config: BaselineConfig = {
  server: query.get('server') ?? '',
  token: query.get('token') ?? '',
  side: query.get('side') === 'agent' ? 'agent' : 'customer',
};
const status = document.createElement('p');
status.setAttribute('role', 'status');
document.body.append(status);
const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(config.server, {
  auth: { token: config.token },
  transports: ['websocket'],
});
socket.on('connect', () => {
  status.textContent = 'Connected';
});

async function request<T>(event: string, payload: unknown): Promise<T> {
  const emit = socket.emitWithAck as unknown as (e: string, p: unknown) => Promise<AckResult<T>>;
  const result = await emit.call(socket, event, payload);
  if (!result.ok) throw new Error(`${event}: ${result.error.code} ${result.error.message}`);
  return result.data;
}

function button(label: string, parent: HTMLElement, onClick: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.textContent = label;
  b.addEventListener('click', onClick, { once: true });
  parent.append(b);
  return b;
}

/** Camera and microphone as the app asks for them (devices.ts: 640×360 at 30 fps, voice processing). */
async function openDevices(): Promise<MediaStream> {
  const media = await navigator.mediaDevices.getUserMedia({
    audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
    video: { width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 30, max: 30 } },
  });
  held.media.push(media);
  return media;
}

async function loadDevice(): Promise<Device> {
  const { routerRtpCapabilities } = await request<{ routerRtpCapabilities: Json }>('call:capabilities', {});
  const device = new Device();
  await device.load({ routerRtpCapabilities: routerRtpCapabilities as never });
  return device;
}

/** What a call holds on this page, released at hang-up as an app releases it. */
const held: { media: MediaStream[]; transports: Transport[]; listeners: Array<() => void> } = {
  media: [],
  transports: [],
  listeners: [],
};

/** Joins with both transports in the answer, sends camera and microphone, shows the other camera. */
async function join(callId: string, device: Device, media: MediaStream): Promise<void> {
  const joined = await request<CallJoinResult>('call:join', {
    callId,
    rtpCapabilities: device.rtpCapabilities as unknown as Json,
    transports: true,
  });
  const { send, recv } = joined.transports!;
  const iceServers = joined.iceServers as RTCIceServer[];
  const connectOnce = (transport: Transport) =>
    transport.on('connect', ({ dtlsParameters }, done, fail) => {
      request('call:transport:connect', { callId, transportId: transport.id, dtlsParameters })
        .then(() => done())
        .catch(fail);
    });
  const params = (p: CallTransportParams) => ({
    id: p.id,
    iceParameters: p.iceParameters,
    iceCandidates: p.iceCandidates,
    dtlsParameters: p.dtlsParameters,
    iceServers,
  });
  const recvTransport = device.createRecvTransport(params(recv) as never);
  held.transports.push(recvTransport);
  connectOnce(recvTransport);
  const consume = async (c: CallConsumerParams) => {
    const consumer: Consumer = await recvTransport.consume({
      id: c.id,
      producerId: c.producerId,
      kind: c.kind,
      rtpParameters: c.rtpParameters as never,
    });
    if (c.source === 'camera') show(consumer.track);
    await request('call:consumer:resume', { callId, consumerId: c.id });
  };
  // Each of the others' tracks once, whichever names it first: the join's consumers, the join's
  // list of tracks (one that appeared while the join was under way is there, or announced, or
  // both: as the app's CallConnection does), and the announcements.
  const receiving = new Set<string>();
  const receive = (producerId: string, made?: CallConsumerParams) => {
    if (receiving.has(producerId)) return;
    receiving.add(producerId);
    if (made) void consume(made).catch(fail);
    else
      void request<CallConsumerParams>('call:consume', { callId, transportId: recvTransport.id, producerId })
        .then(consume)
        .catch(fail);
  };
  const onProducer = (notice: CallProducerNotice) =>
    receive(notice.producerId, notice.consumerTransportId === recvTransport.id ? notice.consumer : undefined);
  socket.on('call:producer:new', onProducer);
  held.listeners.push(() => socket.off('call:producer:new', onProducer));
  for (const c of joined.consumers ?? []) receive(c.producerId, c);
  for (const p of joined.producers) receive(p.producerId);

  const sendTransport = device.createSendTransport(params(send) as never);
  held.transports.push(sendTransport);
  connectOnce(sendTransport);
  sendTransport.on('produce', ({ kind, rtpParameters, appData }, done, fail) => {
    request<{ producerId: string }>('call:produce', {
      callId,
      transportId: sendTransport.id,
      kind,
      rtpParameters,
      source: appData.source,
    })
      .then(({ producerId }) => done({ id: producerId }))
      .catch(fail);
  });
  const [audio] = media.getAudioTracks();
  const [video] = media.getVideoTracks();
  await Promise.all([
    audio && sendTransport.produce({ track: audio, appData: { source: 'mic' } }),
    video &&
      sendTransport.produce({
        track: video,
        appData: { source: 'camera' },
        codecOptions: { videoGoogleStartBitrate: 1000 },
      }),
  ]);
}

function show(track: MediaStreamTrack): void {
  const video = document.createElement('video');
  video.dataset.remote = 'true';
  video.dataset.source = 'camera';
  video.autoplay = true;
  video.muted = true;
  video.playsInline = true;
  video.srcObject = new MediaStream([track]);
  document.body.append(video);
}

const fail = (err: unknown) => {
  status.textContent = `Failed: ${err instanceof Error ? err.message : String(err)}`;
  console.error(err);
};

let callId: string | null = null;
if (config.side === 'agent') {
  // The driver sets the ticket before it clicks.
  button('Start video call', document.body, () => {
    const ticketId = (window as unknown as { __baselineTicketId: string }).__baselineTicketId;
    const device = loadDevice();
    const media = openDevices();
    request<CallView>('call:start', { ticketId })
      .then(async (call) => {
        callId = call.id;
        await join(call.id, await device, await media);
      })
      .catch(fail);
  });
} else {
  socket.on('call:incoming', (call: CallView) => {
    const dialog = document.createElement('div');
    dialog.setAttribute('role', 'dialog');
    document.body.append(dialog);
    button('Accept', dialog, () => {
      dialog.remove();
      callId = call.id;
      // As the app's device check: the devices open (and the device loads) before Join call.
      const ready = Promise.all([
        request('call:answer', { callId: call.id, accept: true }),
        loadDevice(),
        openDevices(),
      ]);
      ready
        .then(([, device, media]) => {
          button('Join call', document.body, () => void join(call.id, device, media).catch(fail));
        })
        .catch(fail);
    });
  });
}

/**
 * The driver hangs up between runs, on both pages (the agent's ends the call). Each page then
 * lets go of its camera, microphone, transports and pictures, as Livedesk's pages do when a call
 * ends: a page still capturing, encoding and decoding would take CPU from the next runs.
 */
(window as unknown as { __baselineHangUp: () => Promise<unknown> }).__baselineHangUp = async () => {
  if (config.side === 'agent' && callId) await request('call:hangup', { callId }).catch(() => null);
  for (const media of held.media.splice(0)) for (const track of media.getTracks()) track.stop();
  for (const transport of held.transports.splice(0)) transport.close();
  for (const stop of held.listeners.splice(0)) stop();
  for (const video of document.querySelectorAll('video')) {
    video.srcObject = null;
    video.remove();
  }
};
