//! Route extraction per framework, over small in-memory projects.

use super::super::language::Grammar;
use super::super::syntax::{ParsedFile, Parsers};
use super::{BuiltRoute, RouteCollector};
use crate::model::AspectStatus;

fn map(files: &[(&str, &str)]) -> Vec<BuiltRoute> {
    let mut collector = RouteCollector::default();
    let mut parsers = Parsers::default();
    for (path, text) in files {
        collector.observe_text(path, text);
        if let Some(g) = Grammar::of_path(path) {
            let tree = parsers.parse(g, text).unwrap();
            let parsed = ParsedFile::new(path, text, g, &tree);
            collector.observe_parsed(&parsed, false);
        }
    }
    let mut read = |rel: &str| {
        files
            .iter()
            .find(|(p, _)| *p == rel)
            .map(|(_, t)| t.to_string())
    };
    collector.build(&mut read, &[]).1
}

/// "METHOD path auth validation ratelimit" per route, statuses as y/n/?/-.
fn table(routes: &[BuiltRoute]) -> Vec<String> {
    let s = |a: AspectStatus| match a {
        AspectStatus::Yes => "y",
        AspectStatus::No => "n",
        AspectStatus::Unknown => "?",
        AspectStatus::NotApplicable => "-",
    };
    routes
        .iter()
        .map(|r| {
            let i = &r.info;
            format!(
                "{} {} {} auth={} val={} rl={}",
                i.method,
                i.path,
                i.handler,
                s(i.auth.status),
                s(i.validation.status),
                s(i.rate_limit.status)
            )
        })
        .collect()
}

fn show(routes: &[BuiltRoute]) -> String {
    routes
        .iter()
        .map(|r| format!("{:?}\n", r.info))
        .collect::<String>()
}

#[test]
fn express_routers_mounted_from_other_files_get_prefixes_and_middleware() {
    let app = "import express from 'express';\nimport rateLimit from 'express-rate-limit';\nimport orders from './routes/orders';\nimport { requireAuth } from './auth';\nconst app = express();\napp.use(express.json());\napp.use(rateLimit({ windowMs: 60000 }));\napp.post('/login', (req, res) => { const { email } = req.body; res.json({ email }); });\napp.use('/api/orders', requireAuth, orders);\n";
    let orders = "import { Router } from 'express';\nimport { z } from 'zod';\nconst router = Router();\nconst Order = z.object({ sku: z.string() });\nrouter.get('/', async (req, res) => { res.json(await db.order.findMany()); });\nrouter.post('/', async (req, res) => { const o = Order.parse(req.body); res.json(o); });\nrouter.delete('/:id', remove);\nasync function remove(req, res) { await db.order.delete({ where: { id: req.params.id } }); }\nexport default router;\n";
    let routes = map(&[("src/app.ts", app), ("src/routes/orders.ts", orders)]);
    let t = table(&routes);
    assert_eq!(
        t,
        vec![
            "GET /api/orders inline handler auth=y val=- rl=y",
            "POST /api/orders inline handler auth=y val=y rl=y",
            "DELETE /api/orders/:id remove auth=y val=n rl=y",
            "POST /login inline handler auth=n val=n rl=y",
        ],
        "{}",
        show(&routes)
    );
    assert_eq!(routes[0].info.auth.by, "requireAuth");
}

#[test]
fn nest_controllers_use_guards_pipes_and_public_markers() {
    let main = "const app = await NestFactory.create(AppModule);\napp.useGlobalPipes(new ValidationPipe({ whitelist: true }));\napp.setGlobalPrefix('api');\n";
    let ctrl = "import { Controller, Get, Post, Body, UseGuards } from '@nestjs/common';\n@Controller('orders')\n@UseGuards(JwtAuthGuard)\nexport class OrdersController {\n  @Get()\n  list() { return this.orders.all(); }\n  @Post()\n  create(@Body() dto: CreateOrderDto) { return this.orders.create(dto); }\n}\n@Controller('auth')\nexport class AuthController {\n  @Post('login')\n  login(@Body() body: any) { return this.auth.login(body); }\n  @Post('logout')\n  @Public()\n  out() {}\n}\n";
    let routes = map(&[("src/main.ts", main), ("src/orders.controller.ts", ctrl)]);
    assert_eq!(
        table(&routes),
        vec![
            "POST /api/auth/login AuthController.login auth=n val=n rl=n",
            "POST /api/auth/logout AuthController.out auth=n val=- rl=n",
            "GET /api/orders OrdersController.list auth=y val=- rl=n",
            "POST /api/orders OrdersController.create auth=y val=y rl=n",
        ],
        "{}",
        show(&routes)
    );
}

#[test]
fn fastapi_routers_flask_blueprints_and_django_includes_are_joined() {
    let main = "from fastapi import FastAPI, Depends\nfrom app.routers import items\napp = FastAPI()\napp.include_router(items.router, prefix='/api', dependencies=[Depends(get_current_user)])\n@app.post('/token')\nasync def token(request: Request):\n    data = await request.json()\n    return data\n";
    let items = "from fastapi import APIRouter\nrouter = APIRouter(prefix='/items')\nclass ItemIn(BaseModel):\n    name: str\n@router.post('/')\nasync def create(item: ItemIn):\n    return item\n";
    let routes = map(&[("app/main.py", main), ("app/routers/items.py", items)]);
    assert_eq!(
        table(&routes),
        vec![
            "POST /api/items create auth=y val=y rl=n",
            "POST /token token auth=n val=n rl=n",
        ],
        "{}",
        show(&routes)
    );

    let flask = "from flask import Flask, Blueprint, request\napp = Flask(__name__)\nbp = Blueprint('admin', __name__, url_prefix='/admin')\n@bp.route('/users', methods=['POST'])\n@login_required\ndef add_user():\n    name = request.form['name']\n    return name\napp.register_blueprint(bp, url_prefix='/v1')\n";
    assert_eq!(
        table(&map(&[("app.py", flask)])),
        vec!["POST /v1/admin/users add_user auth=y val=n rl=n"]
    );

    let root = "from django.urls import path, include\nurlpatterns = [path('shop/', include('shop.urls'))]\n";
    let urls = "from django.urls import path\nfrom . import views\nurlpatterns = [path('orders/', views.create_order), path('orders/<int:pk>/', views.OrderView.as_view())]\n";
    let views = "from django.contrib.auth.decorators import login_required\nfrom django.views.decorators.http import require_POST\n@require_POST\ndef create_order(request):\n    form = OrderForm(request.POST)\n    if form.is_valid():\n        form.save()\n\nclass OrderView(APIView):\n    permission_classes = [IsAuthenticated]\n    def get(self, request, pk):\n        return Response({})\n";
    let routes = map(&[
        ("site/urls.py", root),
        ("shop/urls.py", urls),
        ("shop/views.py", views),
    ]);
    assert_eq!(
        table(&routes),
        vec![
            "POST /shop/orders/ views.create_order auth=n val=y rl=n",
            "GET /shop/orders/<int:pk>/ views.OrderView auth=y val=- rl=n",
        ],
        "{}",
        show(&routes)
    );
}

#[test]
fn go_routers_groups_and_patterns_are_read() {
    let gin = "package main\nimport \"github.com/gin-gonic/gin\"\ntype CreateOrder struct { Sku string `json:\"sku\" binding:\"required\"` }\nfunc main() {\n\tr := gin.Default()\n\tr.POST(\"/login\", login)\n\tapi := r.Group(\"/api\", AuthRequired())\n\tapi.Use(limiter)\n\tregisterOrders(api)\n\tr.Run()\n}\nfunc registerOrders(g *gin.RouterGroup) {\n\tg.POST(\"/orders\", createOrder)\n\tg.GET(\"/orders/:id\", func(c *gin.Context) { c.JSON(200, c.Param(\"id\")) })\n}\nfunc createOrder(c *gin.Context) {\n\tvar req CreateOrder\n\tif err := c.ShouldBindJSON(&req); err != nil { return }\n}\nfunc login(c *gin.Context) { email := c.PostForm(\"email\"); _ = email }\n";
    let routes = map(&[("main.go", gin)]);
    assert_eq!(
        table(&routes),
        vec![
            "POST /api/orders createOrder auth=y val=y rl=y",
            "GET /api/orders/:id inline handler auth=y val=n rl=y",
            "POST /login login auth=n val=n rl=n",
        ],
        "{}",
        show(&routes)
    );

    let nethttp = "package main\nimport \"net/http\"\nfunc main() {\n\tmux := http.NewServeMux()\n\tmux.HandleFunc(\"GET /health\", health)\n\tmux.Handle(\"POST /orders\", requireAuth(http.HandlerFunc(create)))\n\tmux.HandleFunc(\"DELETE /orders/{id}\", remove)\n\thttp.ListenAndServe(\":8080\", mux)\n}\nfunc health(w http.ResponseWriter, r *http.Request) {}\nfunc create(w http.ResponseWriter, r *http.Request) { json.NewDecoder(r.Body).Decode(&o) }\nfunc remove(w http.ResponseWriter, r *http.Request) { id := r.PathValue(\"id\"); db.Exec(\"DELETE FROM orders WHERE id = ?\", id) }\n";
    assert_eq!(
        table(&map(&[("main.go", nethttp)])),
        vec![
            "GET /health health auth=n val=- rl=n",
            "POST /orders create auth=y val=n rl=n",
            "DELETE /orders/{id} remove auth=n val=n rl=n",
        ]
    );
}

#[test]
fn axum_and_actix_routers_nest_layers_and_extractors() {
    let axum = "use axum::{Router, routing::{get, post}, Json, extract::Path};\n#[derive(Deserialize)]\nstruct NewOrder { sku: String }\nfn api() -> Router {\n    Router::new()\n        .route(\"/orders\", get(list).post(create))\n        .route_layer(middleware::from_fn(require_auth))\n}\n#[tokio::main]\nasync fn main() {\n    let app = Router::new()\n        .route(\"/health\", get(health))\n        .route(\"/webhook\", post(hook))\n        .nest(\"/api\", api())\n        .layer(GovernorLayer { config });\n    axum::serve(listener, app).await;\n}\nasync fn list() -> Json<Vec<Order>> { todo!() }\nasync fn create(Json(body): Json<NewOrder>) -> StatusCode { todo!() }\nasync fn hook(body: String) -> StatusCode { todo!() }\nasync fn health() -> &'static str { \"ok\" }\n";
    let routes = map(&[("src/main.rs", axum)]);
    assert_eq!(
        table(&routes),
        vec![
            "GET /api/orders list auth=y val=- rl=y",
            "POST /api/orders create auth=y val=y rl=y",
            "GET /health health auth=n val=- rl=y",
            "POST /webhook hook auth=n val=n rl=y",
        ],
        "{}",
        show(&routes)
    );

    let actix = "use actix_web::{get, post, web, App, HttpServer};\n#[get(\"/items\")]\nasync fn list() -> impl Responder { \"\" }\n#[post(\"/items\")]\nasync fn create(item: web::Json<serde_json::Value>) -> impl Responder { \"\" }\nasync fn me(user: AuthUser) -> impl Responder { \"\" }\n#[actix_web::main]\nasync fn main() {\n    HttpServer::new(|| {\n        App::new()\n            .service(web::scope(\"/api\").service(list).service(create))\n            .route(\"/me\", web::get().to(me))\n    })\n    .run()\n    .await\n}\n";
    assert_eq!(
        table(&map(&[("src/main.rs", actix)])),
        vec![
            "GET /api/items list auth=n val=- rl=n",
            "POST /api/items create auth=n val=n rl=n",
            "GET /me me auth=y val=- rl=n",
        ]
    );
}

#[test]
fn hono_fastify_and_koa_routes_are_read() {
    let hono = "import { Hono } from 'hono';\nimport { zValidator } from '@hono/zod-validator';\nconst app = new Hono().basePath('/api');\napp.use('/admin/*', jwt({ secret }));\napp.post('/admin/users', zValidator('json', schema), (c) => c.json(c.req.valid('json')));\napp.post('/notes', async (c) => { const body = await c.req.json(); return c.json(body); });\nexport default app;\n";
    assert_eq!(
        table(&map(&[("src/index.ts", hono)])),
        vec![
            "POST /api/admin/users inline handler auth=y val=y rl=n",
            "POST /api/notes inline handler auth=n val=n rl=n",
        ]
    );
    let fastify = "import Fastify from 'fastify';\nconst app = Fastify();\napp.register(import('@fastify/rate-limit'));\napp.post('/orders', { onRequest: [app.authenticate], schema: { body: OrderSchema } }, async (req) => req.body);\napp.route({ method: 'DELETE', url: '/orders/:id', handler: async (req) => db.remove(req.params.id) });\n";
    assert_eq!(
        table(&map(&[("src/server.js", fastify)])),
        vec![
            "POST /orders inline handler auth=y val=y rl=n",
            "DELETE /orders/:id inline handler auth=n val=n rl=n",
        ]
    );
}

#[test]
fn backlens_toml_declares_frameworks_and_points_at_bad_values() {
    use super::super::config::parse;
    let config = parse("[project]\nlanguage = \"go\"\nframework = [\"gin\", \"Net-HTTP\"]\n");
    assert!(config.notes.is_empty(), "{:?}", config.notes);
    assert_eq!(config.language.as_deref(), Some("go"));
    assert_eq!(
        config.frameworks,
        vec![("gin".to_string(), 3), ("net/http".to_string(), 3)]
    );

    let config = parse("[project]\nlanguage = \"cobol\"\nframework = \"rails\"\n");
    assert_eq!(config.frameworks, vec![]);
    assert!(
        config.notes[0].contains("line 2") && config.notes[0].contains("cobol"),
        "{:?}",
        config.notes
    );
    assert!(
        config.notes[1].contains("line 3") && config.notes[1].contains("rails"),
        "{:?}",
        config.notes
    );

    let config = parse("[project]\nlanguage = \"python\"\nframework = [\"gin\", 7]\n");
    assert_eq!(config.frameworks, vec![("gin".to_string(), 3)]);
    assert_eq!(config.notes.len(), 2, "{:?}", config.notes);
    assert!(config.notes.iter().any(|n| n.contains("in quotes")));
    assert!(config.notes.iter().any(|n| n.contains("a Go framework")));

    // A declared framework is listed even when nothing in the code shows it.
    let collector = RouteCollector::default();
    let mut read = |_: &str| None;
    let (frameworks, routes) = collector.build(&mut read, &[("echo".to_string(), 4)]);
    assert!(routes.is_empty());
    assert_eq!(frameworks.len(), 1);
    assert_eq!(
        (
            frameworks[0].name.as_str(),
            frameworks[0].path.as_str(),
            frameworks[0].line
        ),
        ("Echo", ".backlens.toml", Some(4))
    );
}

#[test]
fn frameworks_are_detected_from_manifests_before_imports() {
    let pkg = "{\n  \"dependencies\": {\n    \"express\": \"^4\",\n    \"@nestjs/core\": \"^10\"\n  }\n}\n";
    let gomod = "module x\n\ngo 1.22\n\nrequire github.com/labstack/echo/v4 v4.12.0\n";
    let cargo = "[package]\nname = \"x\"\n\n[dependencies]\nactix-web = \"4\"\n";
    let req = "Flask==3.0\nflask-limiter\n";
    let py = "from fastapi import FastAPI\napp = FastAPI()\n";
    let mut collector = RouteCollector::default();
    let mut parsers = Parsers::default();
    for (path, text) in [
        ("package.json", pkg),
        ("go.mod", gomod),
        ("Cargo.toml", cargo),
        ("requirements.txt", req),
    ] {
        collector.observe_text(path, text);
    }
    let tree = parsers.parse(Grammar::Python, py).unwrap();
    collector.observe_parsed(
        &ParsedFile::new("api/main.py", py, Grammar::Python, &tree),
        false,
    );
    let mut read = |_: &str| None;
    let (frameworks, _) = collector.build(&mut read, &[]);
    let found: Vec<(String, String, Option<u32>)> = frameworks
        .iter()
        .map(|f| (f.name.clone(), f.path.clone(), f.line))
        .collect();
    assert_eq!(
        found,
        vec![
            ("Express".into(), "package.json".into(), Some(3)),
            ("NestJS".into(), "package.json".into(), Some(4)),
            ("FastAPI".into(), "api/main.py".into(), Some(1)),
            ("Flask".into(), "requirements.txt".into(), Some(1)),
            ("Echo".into(), "go.mod".into(), Some(5)),
            ("actix-web".into(), "Cargo.toml".into(), Some(5)),
        ]
    );
}

#[test]
fn go_and_rust_files_never_reach_the_js_or_python_rules() {
    // A Go file full of JS-looking calls yields only Go routes.
    let go =
        "package main\nfunc main() {\n\tapp.get(\"/x\", handler)\n\trouter.post(\"/y\", h)\n}\n";
    assert!(map(&[("main.go", go)]).is_empty());
    let rs = "fn main() { app.get(\"/x\", handler); }\n#[app.route(\"/z\")]\nfn z() {}\n";
    assert!(map(&[("src/main.rs", rs)]).is_empty());
}
