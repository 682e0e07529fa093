"""The Institut Curie immunotherapy center assistant: everything that is ours beside Rasa.

Subpackages each have one job: ``trials`` (the trial store), ``faq`` (staff-edited answers
and the Rasa files generated from them), ``nlu`` (custom NLU components), ``web`` (the chat
page), ``inbox`` (what patients asked that the assistant did not understand).
"""
