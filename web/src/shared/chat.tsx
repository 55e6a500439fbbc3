import { useState } from "preact/hooks";
import type { CroupierClient } from "croupier/client";
import type { ChatLine } from "./roulette-state.js";
import { ErrorLine, useAction } from "./ui.js";

/** A room's chat; staff get mute and kick beside each line. */
export function Chat({ client, room, lines, moderate }: { client: CroupierClient; room: string; lines: ChatLine[]; moderate?: boolean }) {
  const [text, setText] = useState("");
  const { error, run } = useAction();
  const send = (e: Event) => {
    e.preventDefault();
    if (text.trim() === "") return;
    void run(async () => {
      await client.chat(room, text);
      setText("");
    });
  };
  return (
    <section class="card chat">
      <h2>Chat</h2>
      <ul class="chat-lines" aria-live="polite" data-testid="chat">
        {lines.map((l) => (
          <li key={l.offset} class={l.kind}>
            <span class="from">{l.from.slice(0, 8)}</span> {l.text}
            {moderate === true && l.kind === "chat" && (
              <>
                {" "}
                <button class="link" onClick={() => run(() => client.moderate(room, "mute", l.from))}>
                  mute
                </button>{" "}
                <button class="link" onClick={() => run(() => client.moderate(room, "kick", l.from))}>
                  kick
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
      <form class="row" onSubmit={send}>
        <input aria-label="message" maxLength={300} value={text} onInput={(e) => setText(e.currentTarget.value)} />
        <button type="submit">Send</button>
      </form>
      <ErrorLine error={error} />
    </section>
  );
}
