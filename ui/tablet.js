// The thread's behaviour on the tablet: gr.HTML runs this once, as the body of
// function (element, trigger, props, server, upload, watch). `element` is the
// thread component; its content is re-rendered from Python, so every listener
// is delegated from `element` or `document`.
//
//  - a citation [n] of answer t opens card fw-src-<t>-<n>: that answer's panel
//    is shown, the card opened, scrolled to and highlighted;
//  - tapping an answer brings back its own sources;
//  - while an answer streams, its question stays at the top of the view, with
//    the safety box and the growing answer under it, unless the technician
//    scrolls away;
//  - feedback buttons send {turn, rating, reason, comment} as a click event;
//  - "Back to the answer" in a sources panel (portrait) returns to its turn.
const doc = element.ownerDocument;
const win = doc.defaultView;
let followed = null; // the turn being followed while it streams
let movedByHand = false;

const turnsIn = () => Array.from(element.querySelectorAll(".fw-turn"));
const numberOf = (turnEl) => String(turnsIn().indexOf(turnEl) + 1);

function showSources(turn) {
  const panel = doc.getElementById("fw-sources");
  if (!panel) return null;
  let shown = null;
  panel.querySelectorAll(".fw-turn-sources").forEach((section) => {
    const mine = section.dataset.turn === String(turn);
    section.hidden = !mine;
    if (mine) shown = section;
  });
  turnsIn().forEach((t, i) => t.classList.toggle("fw-selected", String(i + 1) === String(turn)));
  return shown;
}

function openCard(turn, n) {
  showSources(turn);
  const card = doc.getElementById(`fw-src-${turn}-${n}`);
  if (!card) return;
  card.open = true;
  const side = doc.getElementById("fw-side");
  if (side && win.getComputedStyle(side).position === "sticky") {
    // Landscape: the sources stay beside the answer; only their column scrolls.
    side.scrollTop += card.getBoundingClientRect().top - side.getBoundingClientRect().top - 8;
  } else {
    card.scrollIntoView({ block: "start", behavior: "auto" }); // portrait: the cards are below the thread
  }
  doc.querySelectorAll(".fw-card.fw-flash").forEach((c) => c.classList.remove("fw-flash"));
  void card.offsetWidth; // restart the highlight when the same card is tapped again
  card.classList.add("fw-flash");
  const summary = card.querySelector("summary");
  if (summary) summary.focus({ preventScroll: true });
}

function sendFeedback(button) {
  const box = button.closest(".fw-fb");
  const rating = button.dataset.fwRating;
  const data = { turn: Number(box.dataset.turn), rating };
  if (rating === "down") {
    const picked = box.querySelector("input[type=radio]:checked");
    const hint = box.querySelector(".fw-fb-hint");
    if (!picked) {
      if (hint) hint.hidden = false;
      return;
    }
    data.reason = picked.value;
    data.comment = (box.querySelector(".fw-fb-comment") || {}).value || "";
  }
  box.querySelectorAll("button").forEach((b) => (b.disabled = true));
  trigger("click", data);
}

element.addEventListener("click", (event) => {
  const target = event.target;
  const cite = target.closest("a.fw-cite");
  if (cite) {
    event.preventDefault();
    openCard(cite.dataset.turn, cite.dataset.n);
    return;
  }
  const rate = target.closest("[data-fw-rating]");
  if (rate) {
    sendFeedback(rate);
    return;
  }
  const show = target.closest(".fw-show-sources");
  if (show) {
    const section = showSources(show.dataset.turn);
    const side = doc.getElementById("fw-side");
    if (side && win.getComputedStyle(side).position === "sticky") side.scrollTop = 0;
    else if (section) section.scrollIntoView({ block: "start", behavior: "auto" });
    return;
  }
  const turn = target.closest(".fw-turn");
  if (turn && !target.closest("a, button, summary, input, textarea, label")) showSources(numberOf(turn));
});

doc.addEventListener("click", (event) => {
  const back = event.target.closest("#fw-sources .fw-back");
  if (!back) return;
  const turn = turnsIn()[Number(back.dataset.turn) - 1];
  if (turn) turn.scrollIntoView({ block: "start", behavior: "auto" });
});

element.addEventListener("change", (event) => {
  const box = event.target.closest(".fw-fb");
  const hint = box && box.querySelector(".fw-fb-hint");
  if (hint && event.target.matches("input[type=radio]")) hint.hidden = true;
});

// Scrolling by hand while an answer streams stops the following until the next question.
["wheel", "touchmove"].forEach((name) =>
  doc.addEventListener(name, () => { if (followed) movedByHand = true; }, { passive: true }));

function follow() {
  const live = turnsIn().find((t) => t.querySelector(".fw-streaming, .fw-pending"));
  if (live) {
    const number = numberOf(live);
    if (followed !== number) {
      followed = number;
      movedByHand = false;
      const side = doc.getElementById("fw-side");
      if (side) side.scrollTop = 0; // the new answer's cards from their top
    }
    if (!movedByHand) live.scrollIntoView({ block: "start", behavior: "auto" });
    return;
  }
  if (followed) {
    // The answer is complete: its question stays where the technician was reading it.
    const last = turnsIn()[Number(followed) - 1];
    if (last && !movedByHand) {
      const top = last.getBoundingClientRect().top;
      if (top < 0 || top > win.innerHeight * 0.5) last.scrollIntoView({ block: "start", behavior: "auto" });
    }
    followed = null;
  }
}

watch("value", follow);
follow();
