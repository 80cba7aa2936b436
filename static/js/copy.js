// Copy buttons: <button class="hidden" data-copy-target="INPUT_ID" data-copy-status="STATUS_ID">.
// The button is shown only when this script runs; without it the field can still be selected by hand.
document.querySelectorAll("[data-copy-target]").forEach((button) => {
  const input = document.getElementById(button.dataset.copyTarget);
  const status = document.getElementById(button.dataset.copyStatus);
  button.classList.remove("hidden");
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(input.value);
      status.textContent = "Link copied.";
    } catch {
      input.select();
      status.textContent = "Press Ctrl+C (or long-press and choose Copy) to copy the link.";
    }
  });
});
