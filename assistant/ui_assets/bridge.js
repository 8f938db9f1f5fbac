// Runs as the js_on_load of the source viewer (a gr.HTML). One document-level listener turns
// clicks on citation chips anywhere on the page (the chat window included) into a "click" event
// of the viewer carrying {turn, ref}; the server answers with the cited passage. Copy buttons of
// the wording search are handled here too, without a round trip.
window.__policyCite = (data) => trigger("click", data);
if (!window.__policyDelegate) {
  window.__policyDelegate = true;
  const open = (chip) => {
    const turn = /cite-turn-(\d+)/.exec(chip.className);
    const ref = /cite-ref-(\d+)/.exec(chip.className);
    if (!turn || !ref) return;
    const data = { turn: Number(turn[1]), ref: Number(ref[1]) };
    const occurrence = /cite-occ-(\d+)/.exec(chip.className);  // the n-th citation of the answer
    const citation = /cite-cit-(\d+)/.exec(chip.className);  // the n-th entry of the sources list
    if (occurrence) data.occ = Number(occurrence[1]);
    if (citation) data.cit = Number(citation[1]);
    document.querySelectorAll(".cite.cite-active").forEach((el) => el.classList.remove("cite-active"));
    chip.classList.add("cite-active");
    window.__policyCite(data);
  };
  // An answer as a reader would paste it: its text with each chip written as [Task N], without
  // the footer. innerText needs a laid-out element, so the cleaned copy is attached off screen.
  const answerText = (button) => {
    const bubble = button.closest('[data-testid="bot"]') || button.closest(".message");
    if (!bubble) return "";
    const clone = bubble.cloneNode(true);
    clone.querySelectorAll(".answer-meta").forEach((el) => el.remove());
    clone.querySelectorAll(".cite").forEach((chip) => {
      const unverified = chip.classList.contains("cite-unverified");
      const label = chip.textContent.replace(/^\u26a0\s*/, "").replace(/\s*·\s*unverified$/, "").trim();
      chip.replaceWith(`[${label}]${unverified ? " (unverified)" : ""}`);
    });
    clone.querySelectorAll(".cite-flag").forEach((flag) => flag.replaceWith("(no source)"));
    const holder = document.createElement("div");
    holder.style.cssText = "position:fixed;left:-10000px;top:0;width:600px;white-space:normal";
    holder.appendChild(clone);
    document.body.appendChild(holder);
    const text = clone.innerText.replace(/\n{3,}/g, "\n\n").trim();
    holder.remove();
    return text;
  };
  const copy = async (button) => {
    let text;
    if (button.classList.contains("copy-answer")) {
      text = answerText(button);
    } else {
      const source = button.parentElement.querySelector(".copy-src");
      text = source ? source.innerText : "";
    }
    try {
      await navigator.clipboard.writeText(text);
    } catch (error) {
      // Plain-http deployments have no clipboard API: fall back to a selected textarea.
      const area = document.createElement("textarea");
      area.value = text;
      document.body.appendChild(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
    const label = button.dataset.label || button.textContent;
    button.dataset.label = label;
    button.textContent = "Copied ✓";
    setTimeout(() => { button.textContent = label; }, 1500);
  };
  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    const chip = target.closest(".cite");
    if (chip) { event.preventDefault(); open(chip); return; }
    const button = target.closest(".copy-btn, .copy-answer");
    if (button) { event.preventDefault(); copy(button); }
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" && event.key !== " ") return;
    const target = event.target instanceof Element ? event.target : null;
    const chip = target && target.closest(".cite");
    if (chip) { event.preventDefault(); open(chip); return; }
    const button = target && target.closest(".copy-answer");
    if (button) { event.preventDefault(); copy(button); }
  });
}
watch("value", () => {
  // On narrow screens the viewer sits below the chat: bring the opened passage into view.
  if (window.innerWidth < 900) element.scrollIntoView({ behavior: "smooth", block: "start" });
});
