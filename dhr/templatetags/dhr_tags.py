from django import template

register = template.Library()


@register.filter
def absolute(value):
    """The size of a number of days, for 'N days overdue'."""
    return abs(value)
