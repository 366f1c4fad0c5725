import os

import psycopg2
from flask import Flask, jsonify, request

app = Flask(__name__)
app.config["SECRET_KEY"] = "dev-secret-key-that-ships-to-prod"  # expect: SEC-SECRET
DATABASE_URL = os.environ["DATABASE_URL"]  # lookalike: SEC-SECRET
PAGE_SIZE = 50


def connect():
    return psycopg2.connect(DATABASE_URL)


@app.route("/users")
def users():
    name = request.args.get("name", "")
    cur = connect().cursor()
    cur.execute("SELECT id, name FROM users WHERE name = '%s'" % name)  # expect: SEC-SQLI expect: ARCH-LAYERS expect: API-PAGINATION
    return jsonify(cur.fetchall())


@app.route("/users/<int:user_id>")
def user(user_id):
    cur = connect().cursor()
    cur.execute("SELECT id, name FROM users WHERE id = %s", (user_id,))  # lookalike: SEC-SQLI expect: ARCH-LAYERS
    return jsonify(cur.fetchone())


@app.route("/users/page")
def page():
    cur = connect().cursor()
    cur.execute(f"SELECT id FROM users LIMIT {PAGE_SIZE}")  # lookalike: SEC-SQLI expect: ARCH-LAYERS
    return jsonify(cur.fetchall())


@app.route("/users/search")
def search():
    term = request.args["q"]
    query = "SELECT id FROM users WHERE bio LIKE '%{}%'".format(term)  # expect: SEC-SQLI
    cur = connect().cursor()
    cur.execute(query)  # expect: ARCH-LAYERS
    return jsonify(cur.fetchall())
