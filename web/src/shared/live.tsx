import { useEffect, useState } from "preact/hooks";
import type { CroupierClient } from "croupier/client";

interface CueData {
  readonly name: string;
  readonly data: Record<string, unknown>;
  readonly sentAt: number;
}
interface MarkerSeen {
  readonly id: string;
  readonly sentAt: number;
  readonly arrivedAt: number;
}

const cueText: Record<string, string> = {
  "betting-open": "Place your bets",
  "last-call": "Last call",
  "no-more-bets": "No more bets",
  result: "Result",
  winners: "Winners",
  shuffle: "Shuffling",
  marker: "Marker",
};

/**
 * What a live table adds to its page: the dealer's video, the latest cue, and each latency marker with
 * the delay the SDK held it for (it hands a cue over at its `revealAt`, when the video shows it), beside
 * the table's declared stream latency (docs/GAMES.md, "Measuring the delay").
 */
export function LiveExtras({ client, room, streamUrl, latencyMs }: { client: CroupierClient; room: string; streamUrl: string | null; latencyMs: number }) {
  const [cue, setCue] = useState<CueData | null>(null);
  const [marker, setMarker] = useState<MarkerSeen | null>(null);
  useEffect(
    () =>
      client.on("event", (e) => {
        if (e.room !== room || e.kind !== "dealer.cue") return;
        const d = e.data as CueData;
        setCue(d);
        if (d.name === "marker") setMarker({ id: String(d.data.id), sentAt: d.sentAt, arrivedAt: client.serverNow() });
      }),
    [client, room],
  );
  return (
    <>
      {streamUrl !== null && <LiveVideo url={streamUrl} />}
      <p class="table-status">
        {cue !== null && (
          <span class="cue" data-testid="cue">
            {cueText[cue.name] ?? cue.name}
            {typeof cue.data.secondsLeft === "number" ? ` · ${cue.data.secondsLeft}s` : ""}
          </span>
        )}
        {marker !== null && (
          <span class="hint" data-testid="marker" data-delay-ms={marker.arrivedAt - marker.sentAt} data-latency-ms={latencyMs}>
            marker {marker.id}: shown {((marker.arrivedAt - marker.sentAt) / 1000).toFixed(1)} s after the dealer sent it (declared video delay{" "}
            {(latencyMs / 1000).toFixed(1)} s)
          </span>
        )}
      </p>
    </>
  );
}

/** The dealer's video; a placeholder address (the default template, on .invalid) is named, not loaded. */
export function LiveVideo({ url }: { url: string }) {
  const placeholder = /\.invalid(\/|:|$)/.test(new URL(url, location.href).hostname + "/");
  return (
    <div class="video" data-testid="video">
      {placeholder ? (
        <p class="hint">Video stream: {url} (set liveStreamUrlTemplate to a real stream)</p>
      ) : (
        <video src={url} autoplay muted playsInline controls />
      )}
    </div>
  );
}
