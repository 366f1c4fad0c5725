import hashlib
import os
import subprocess

import bcrypt
import jwt
import requests
from flask import Flask, jsonify, request, send_file, send_from_directory
from flask_cors import CORS

from .models import User, db

app = Flask(__name__)
CORS(app, supports_credentials=True)  # expect: SEC-CORS
CORS(app, resources={r"/public/*": {"origins": ["https://shop.example.com"]}}, supports_credentials=True)  # lookalike: SEC-CORS
REPORTS = "/srv/reports"
JWT_KEY = os.environ["JWT_KEY"]


def current_user_id():
    token = request.headers["Authorization"].removeprefix("Bearer ")
    claims = jwt.decode(token, options={"verify_signature": False})  # expect: SEC-JWT
    return claims["sub"]


def verified_user_id():
    token = request.headers["Authorization"].removeprefix("Bearer ")
    return jwt.decode(token, JWT_KEY, algorithms=["HS256"])["sub"]  # lookalike: SEC-JWT


@app.route("/users", methods=["POST"])
def create_user():
    body = request.get_json() # expect: SEC-VALIDATION
    digest = hashlib.sha1(body["password"].encode()).hexdigest()  # expect: SEC-PASSWORD
    hashed = bcrypt.hashpw(body["password"].encode(), bcrypt.gensalt())  # lookalike: SEC-PASSWORD
    checksum = hashlib.sha256(request.data).hexdigest()  # lookalike: SEC-PASSWORD
    user = User(email=body["email"], password_hash=hashed, legacy=digest, checksum=checksum)
    db.session.add(user)  # expect: ARCH-LAYERS
    db.session.commit()
    return jsonify(id=user.id), 201


@app.route("/users/legacy", methods=["POST"])
def legacy_user():
    user = User(email=request.form["email"], password=request.form["password"])  # expect: SEC-PASSWORD expect: SEC-VALIDATION
    db.session.add(user)  # expect: ARCH-LAYERS
    db.session.commit()
    return jsonify(id=user.id), 201


@app.route("/users")
def list_users():
    users = User.query.order_by(User.email).all()  # expect: API-PAGINATION
    return jsonify([u.email for u in users])


@app.route("/users/page")
def page_users():
    limit = min(int(request.args.get("limit", 50)), 200)
    users = User.query.order_by(User.email).limit(limit).all()  # lookalike: API-PAGINATION
    return jsonify([u.email for u in users])


@app.route("/users/<int:user_id>")
def get_user(user_id):
    user = db.session.get(User, user_id)  # expect: ARCH-LAYERS
    if user is None:
        return jsonify({"error": "user not found"})  # expect: API-STATUS
    return jsonify(id=user.id, email=user.email)


@app.route("/users/<int:user_id>/avatar")
def avatar(user_id):
    user = db.session.get(User, user_id)  # expect: ARCH-LAYERS
    if user is None:
        return jsonify({"error": "user not found"}), 404  # lookalike: API-STATUS
    return send_file(user.avatar_path)


@app.route("/ping")
def ping():
    host = request.args.get("host", "")
    os.system("ping -c 1 " + host)  # expect: SEC-INJECTION
    out = subprocess.run(["ping", "-c", "1", host], capture_output=True, check=False)  # lookalike: SEC-INJECTION
    return jsonify(ok=out.returncode == 0)


@app.route("/reports/<name>")
def report(name):
    return send_file(os.path.join(REPORTS, name))  # expect: SEC-INJECTION


@app.route("/reports/safe/<name>")
def safe_report(name):
    return send_from_directory(REPORTS, name)  # lookalike: SEC-INJECTION


@app.route("/sync", methods=["POST"])
def sync():
    try:
        r = requests.get("https://erp.example-partner.com/api/stock", verify=False, timeout=10)  # expect: SEC-TLS
        r2 = requests.get("https://erp.example-partner.com/api/prices", verify="/etc/ssl/partner-ca.pem", timeout=10)  # lookalike: SEC-TLS
        return jsonify(stock=r.json(), prices=r2.json())
    except Exception as e:
        return jsonify(error=str(e)), 500  # expect: SEC-ERRLEAK


@app.route("/import", methods=["POST"])
def import_users():
    try:
        rows = parse(request.data) # expect: SEC-VALIDATION
    except ValueError as e:
        return jsonify(error=str(e)), 400  # lookalike: SEC-ERRLEAK
    return jsonify(imported=len(rows)), 201
