// The protocol the page speaks to the hub: MessagePack, so a fast job's epochs arrive as binary numbers instead of
// text the service must print and the page must parse (most of what streaming costs); JSON when the MessagePack
// script did not load, so the page still streams. Both carry the same messages: maps with the same names, timestamps
// and enums as the same strings, a missing cost as null. Its decoder (@msgpack/msgpack 2) reads 64-bit integers such
// as a job's seed as plain numbers, never BigInt: above 2^53 they round exactly as JSON.parse rounds them.
/* global signalR */

export function hubProtocol() {
  const MessagePackHubProtocol = signalR.protocols?.msgpack?.MessagePackHubProtocol;
  if (MessagePackHubProtocol) {
    try {
      return new MessagePackHubProtocol();
    } catch (e) {
      console.warn('MessagePack hub protocol unavailable; streaming as JSON', e);
    }
  } else {
    console.warn('MessagePack hub protocol not loaded; streaming as JSON');
  }
  return new signalR.JsonHubProtocol();
}
