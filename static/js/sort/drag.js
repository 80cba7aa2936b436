// Dragging cards between columns with SortableJS; on touch screens a card is held a moment
// first, so that a swipe still scrolls. A drop sends the same `sort:move` as the menu and the
// keyboard, and the board is not redrawn under a card in the air.

import Sortable from "/static/vendor/sortable.esm.js";

export function createDragAndDrop(board) {
  const sortables = [];
  let inAir = false;
  let drawMissed = false; // the board changed while a card was in the air

  return {
    // True while a card is in the air: the board is drawn when it lands instead.
    deferDraw() {
      if (inAir) drawMissed = true;
      return inAir;
    },

    attach(list) {
      sortables.push(Sortable.create(list, {
        group: "board", animation: 120, delay: 120, delayOnTouchOnly: true, filter: ".drop-hint, select, button",
        preventOnFilter: false, draggable: "[data-card]",
        onStart: () => { inAir = true; board.state.lifted = null; }, // a drag takes over from a keyboard pick-up
        onEnd: (event) => {
          inAir = false;
          event.item.blur(); // a drag leaves no keyboard focus on the card: keys go on driving the meeting
          const sampleId = Number(event.item.dataset.card);
          const to = event.to.dataset.groupId ? Number(event.to.dataset.groupId) : null;
          const from = event.from.dataset.groupId ? Number(event.from.dataset.groupId) : null;
          if (to === from && event.oldDraggableIndex === event.newDraggableIndex) { if (drawMissed) board.draw(); return; }
          drawMissed = false;
          board.move(sampleId, to, event.newDraggableIndex);
        },
      }));
    },

    detachAll() {
      for (const s of sortables.splice(0)) s.destroy();
    },
  };
}
