"""The public verbs' contract with their callers."""
import pytest

import despin


@pytest.mark.parametrize("verb", [despin.check, despin.restore, despin.restore_and_explain])
@pytest.mark.parametrize("value, hint", [(None, "NoneType"), (42, "int"), (b"The Supreme Courtroom", "decode the bytes")])
def test_a_text_that_is_no_str_is_refused_with_what_to_pass(verb, value, hint):
    with pytest.raises(TypeError, match=hint):
        verb(value, fast=True)
