// Constants the server owns - statuses, labels, board modes - as the page that loaded this
// script wrote them into <script type="application/json" id="server-constants">, one entry per
// feature ("samples", "sort", "follow_up", "room"). Scripts read them here, never repeat them.

const island = document.getElementById("server-constants");

export const serverConstants = island ? JSON.parse(island.textContent) : {};
