"""Fitting values to the database columns they go in (this library defines no models)."""


def fit(model, field_name, value):
    """Return value cut to the max_length of model's field_name, so saving it cannot fail."""
    return value[: model._meta.get_field(field_name).max_length]
