import { cardRed, cardText } from "./format.js";

/** Playing cards face up, and a face-down one when `hidden`. */
export function Cards({ cards, hidden }: { cards: number[]; hidden?: boolean }) {
  return (
    <span class="cards">
      {cards.map((c, i) => (
        <span key={i} class={`playing-card ${cardRed(c) ? "red-card" : ""}`}>
          {cardText(c)}
        </span>
      ))}
      {hidden === true && (
        <span class="playing-card back" aria-label="hidden card">
          ?
        </span>
      )}
    </span>
  );
}
