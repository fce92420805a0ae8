import random

from despin.decoding.spans import non_overlapping


def test_the_first_items_in_key_order_that_overlap_nothing_taken_are_kept():
    def by_hand(items):
        chosen = []
        for item in sorted(items, key=lambda x: x[2]):
            if all(item[1] <= c[0] or item[0] >= c[1] for c in chosen):
                chosen.append(item)
        return chosen

    rng = random.Random(5)
    for _ in range(2000):
        items = [(a, a + rng.randint(0, 5), rng.random()) for a in (rng.randint(0, 20) for _ in range(rng.randint(0, 15)))]
        assert non_overlapping(items, key=lambda x: x[2], span=lambda x: (x[0], x[1])) == by_hand(items)
