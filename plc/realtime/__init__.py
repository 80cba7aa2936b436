"""What every live feature uses: the checked event gate, seats, room names, payload types, and how
a worker process's news reaches the rooms. Features import it; it imports none of them."""
