from django.http import HttpResponse


def verify(request, code):  # replaced by the paperwork engine work
    return HttpResponse(status=404)
