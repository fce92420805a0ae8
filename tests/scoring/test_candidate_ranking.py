from despin.scoring import candidate_ranking
from despin.scoring.candidate_ranking import features, score


def test_features_read_the_changed_words_only():
    model_gain, channel_gain, table, moby_only, wordnet, zipf_gain = features(
        "picture acknowledgment", "picture recognition", 2.0, -3.0, ("spin-table",))
    assert (model_gain, channel_gain, table, moby_only, wordnet) == (2.0, -3.0, 1.0, 0.0, 0.0)
    # "recognition" is commoner than "acknowledgment"; "picture" is in both and does not count.
    assert zipf_gain > 0
    assert features("a b", "a b c", 0.0, 0.0, ("moby",))[3:5] == (1.0, 0.0)
    assert features("a", "b", 0.0, 0.0, ("moby", "wordnet"))[3:5] == (0.0, 1.0)


def test_a_swap_seen_in_spun_text_outranks_a_thesaurus_one_the_model_likes_a_little_more():
    # "picture" -> "video" reads slightly better after "the results of the" than the spin
    # table's "image"; the fit says the table's swap is the likelier original.
    video = score("picture", "video", 1.6, -6.0, ("wordnet",))
    image = score("picture", "image", 0.8, -6.0, ("spin-table",))
    assert image > video


def test_the_text_as_written_scores_zero():
    assert score("kidney", "kidney", 0.0, 0.0, ()) == 0.0
    assert len(candidate_ranking.WEIGHTS) == len(features("a", "b", 0.0, 0.0, ()))


def test_rank_puts_the_best_scored_candidate_first():
    ranked = candidate_ranking.rank("picture", [("video", 1.6, -6.0, ("wordnet",)), ("image", 0.8, -6.0, ("spin-table",))])
    assert [o for _, o, _, _ in ranked] == ["image", "video"]
    assert ranked[0][2:] == (0.8, -6.0)
