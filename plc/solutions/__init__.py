"""Teachers' photos of their own solutions on a step that asks for them (Doing Math Together's
solve step): taken in through the same private, cleaned path as student work, shown side by
side on the projector."""
