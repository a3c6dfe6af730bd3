"""Colours shared by the figures and the explorer page (no matplotlib here, so the server can import it cheaply).

* Lines: the Okabe-Ito palette (Okabe & Ito 2008), distinguishable with the common colour-vision deficiencies.
* The body map: ColorBrewer's YlOrRd (Brewer 2003) in 11 stops, interpolated linearly in sRGB, from light yellow
  (the pressure pain threshold as usual) to dark red (fallen by :data:`BODYMAP_FULL_SCALE` percent or more). It is
  sequential in lightness (readable in grey print and with colour-vision deficiency) and chromatic at every step,
  so no modelled value looks like the hatched grey (:data:`NOT_MODELLED`) of the parts that are not modelled.
  The page (``GET /api/kinds``, field ``bodymap``) and the CLI's figure both use these stops and this arithmetic.
"""

from __future__ import annotations

import numpy as np

OKABE_ITO = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")

#: Fall of the pressure pain threshold (percent) drawn at the darkest colour of the body map.
BODYMAP_FULL_SCALE = 40.0
#: YlOrRd at 0, 0.1, ..., 1 (matplotlib's table of ColorBrewer's scheme; a test checks they agree).
BODYMAP_COLOURS = ("#ffffcc", "#fff1a9", "#fee187", "#feca66", "#feab49", "#fd8c3c", "#fc5b2e", "#ed2e21",
                   "#d41020", "#b00026", "#800026")
#: Fill of the parts of the body that are not modelled (always drawn hatched as well).
NOT_MODELLED = "#e0e0e0"


def _rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)


def bodymap_intensity(change: float | np.ndarray) -> float | np.ndarray:
    """Position on the body map's scale (0 as usual ... 1 a fall of BODYMAP_FULL_SCALE percent or more) of a
    threshold change in percent (negative = more sensitive; a rise counts as usual)."""
    return np.clip(-np.asarray(change, dtype=float) / BODYMAP_FULL_SCALE, 0.0, 1.0)


def bodymap_colour(change: float) -> str:
    """The body map's colour (hex) of a threshold change in percent: linear in sRGB between the two nearest
    stops, rounded to whole channel values, as the page computes it."""
    x = float(bodymap_intensity(change)) * (len(BODYMAP_COLOURS) - 1)
    i = min(len(BODYMAP_COLOURS) - 2, int(np.floor(x)))
    a, b = _rgb(BODYMAP_COLOURS[i]), _rgb(BODYMAP_COLOURS[i + 1])
    # round half up, as JavaScript's Math.round does
    return "#" + "".join(f"{int(np.floor(v + 0.5)):02x}" for v in a + (x - i) * (b - a))


def bodymap_scale() -> dict[str, object]:
    """The body map's scale as the explorer page reads it."""
    return {"full_scale": BODYMAP_FULL_SCALE, "colours": list(BODYMAP_COLOURS), "not_modelled": NOT_MODELLED,
            "meaning": "fall of the pressure pain threshold from usual: light yellow as usual, dark red a fall of "
                       f"{BODYMAP_FULL_SCALE:g} % or more"}
