"""Cold start: a fresh interpreter imports requests, gets a token and makes one call."""

import uuid

import requests

from common import get_token, relationship_request, settings


def main():
    base, tenant, client_id, refresh_token = settings()
    with requests.Session() as http:
        token = get_token(http, base, tenant, client_id, refresh_token)
        relationship_request(http, base, token, str(uuid.uuid4()))


if __name__ == "__main__":
    main()
