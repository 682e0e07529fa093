"""The website chat: a small aiohttp server for the FR/EN page, the privacy notice and the
self-hosted widget (``static/curie-chat.js``) that talks to Rasa's REST channel."""
