// mediasoup's own parameter objects (RTP capabilities, DTLS/ICE parameters, RTP parameters),
// typed by their structure: mediasoup's and mediasoup-client's definitions, which this leaf may
// not import. The server hands them on without casts. What a client sends is typed `Json`: the
// server checks its shape loosely and mediasoup fully, answering a bad one with a result error.
// Re-exported by protocol.ts.

export type Json = Record<string, unknown>;

export type MediaKindName = 'audio' | 'video';
export type RtcpFeedback = { type: string; parameter?: string };
export type RtpCodecCapability = {
  kind: MediaKindName;
  mimeType: string;
  preferredPayloadType?: number;
  clockRate: number;
  channels?: number;
  // biome-ignore lint/suspicious/noExplicitAny: codec-specific (as mediasoup has it)
  parameters?: any;
  rtcpFeedback?: RtcpFeedback[];
};
export type RtpHeaderExtension = {
  kind: MediaKindName;
  uri: string;
  preferredId: number;
  preferredEncrypt?: boolean;
  direction?: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
};
export type RtpCapabilities = { codecs?: RtpCodecCapability[]; headerExtensions?: RtpHeaderExtension[] };
export type RtpCodecParameters = {
  mimeType: string;
  payloadType: number;
  clockRate: number;
  channels?: number;
  // biome-ignore lint/suspicious/noExplicitAny: codec-specific (as mediasoup has it)
  parameters?: any;
  rtcpFeedback?: RtcpFeedback[];
};
export type RtpParameters = {
  mid?: string;
  codecs: RtpCodecParameters[];
  // biome-ignore lint/suspicious/noExplicitAny: extension-specific (as mediasoup has it)
  headerExtensions?: Array<{ uri: string; id: number; encrypt?: boolean; parameters?: any }>;
  encodings?: Array<{
    ssrc?: number;
    rid?: string;
    codecPayloadType?: number;
    rtx?: { ssrc: number };
    dtx?: boolean;
    scalabilityMode?: string;
    scaleResolutionDownBy?: number;
    maxBitrate?: number;
  }>;
  rtcp?: { cname?: string; reducedSize?: boolean; mux?: boolean };
};
export type IceParameters = { usernameFragment: string; password: string; iceLite?: boolean };
export type IceCandidate = {
  foundation: string;
  priority: number;
  ip: string;
  /** The same as `ip` (mediasoup 3.13+ names it `address`; mediasoup-client reads either). */
  address?: string;
  protocol: 'udp' | 'tcp';
  port: number;
  type: 'host';
  tcpType?: 'passive';
};
export type DtlsParameters = {
  role?: 'auto' | 'client' | 'server';
  fingerprints: Array<{ algorithm: string; value: string }>;
};
