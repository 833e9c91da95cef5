// Posts each stack's offline preview (the artifacts of "PR preview (offline)")
// as one pull-request comment per project and stack, updated in place.
//
// Everything read from the artifacts was produced by the pull request's code
// and is treated as untrusted: the stack name must look like one, the pull
// request must still have the head the preview ran on, the body's own markers
// are removed and the marker is written here, and the body is cut to GitHub's
// limit. A comment is only replaced by a diff valid at the same or a later time.
'use strict';

const fs = require('fs');
const path = require('path');

const MARKER = 'blueprint-diff';
const STACK = /^[a-z0-9][a-z0-9-]{0,62}$/;
const LIMIT = 65536;
const MARKER_LINE = new RegExp(`<!-- ${MARKER} (\\{[^\\n]*?\\}) -->`);

function parseMarker(body) {
  const match = MARKER_LINE.exec(body || '');
  if (!match) return null;
  try {
    return JSON.parse(match[1]);
  } catch (error) {
    return null;
  }
}

function markerLine(project, stack, validAt) {
  return `<!-- ${MARKER} ${JSON.stringify({ project, stack, validAt })} -->`;
}

function readPreview(folder) {
  const meta = JSON.parse(fs.readFileSync(path.join(folder, 'meta.json'), 'utf8'));
  const body = fs.readFileSync(path.join(folder, 'diff.md'), 'utf8');
  if (typeof meta.stack !== 'string' || !STACK.test(meta.stack)) throw new Error('meta.json: bad stack');
  if (`pr-preview-${meta.stack}` !== path.basename(folder)) throw new Error('meta.json: stack does not match the artifact');
  if (meta.project !== 'blueprint') throw new Error('meta.json: bad project');
  if (!Number.isInteger(meta.pr) || meta.pr < 1) throw new Error('meta.json: bad pull request number');
  if (Number.isNaN(Date.parse(meta.validAt))) throw new Error('meta.json: bad validAt');
  return { meta, body };
}

function commentBody(meta, body) {
  const cleaned = body.split('\n').filter((line) => !line.includes(`<!-- ${MARKER}`)).join('\n');
  const head = markerLine(meta.project, meta.stack, meta.validAt) + '\n';
  return (head + cleaned).slice(0, LIMIT);
}

async function upsertOne({ github, context, core }, meta, body) {
  const { owner, repo } = context.repo;
  const run = context.payload.workflow_run;
  const { data: pr } = await github.rest.pulls.get({ owner, repo, pull_number: meta.pr });
  if (pr.head.sha !== run.head_sha) {
    core.notice(`${meta.stack}: pull request #${meta.pr} has moved on from ${run.head_sha}; not commenting`);
    return 'stale-run';
  }
  const comments = await github.paginate(github.rest.issues.listComments, {
    owner, repo, issue_number: meta.pr, per_page: 100,
  });
  const ours = comments.find((c) => {
    const found = c.user && c.user.type === 'Bot' ? parseMarker(c.body) : null;
    return found && found.project === meta.project && found.stack === meta.stack;
  });
  const text = commentBody(meta, body);
  if (!ours) {
    await github.rest.issues.createComment({ owner, repo, issue_number: meta.pr, body: text });
    return 'created';
  }
  const previous = parseMarker(ours.body);
  if (Date.parse(previous.validAt) > Date.parse(meta.validAt)) {
    core.notice(`${meta.stack}: the comment holds a newer diff (${previous.validAt}); keeping it`);
    return 'kept-newer';
  }
  await github.rest.issues.updateComment({ owner, repo, comment_id: ours.id, body: text });
  return 'updated';
}

async function upsertAll({ github, context, core, dir }) {
  const results = {};
  const folders = fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.startsWith('pr-preview-')).sort() : [];
  for (const name of folders) {
    let preview;
    try {
      preview = readPreview(path.join(dir, name));
    } catch (error) {
      core.warning(`${name}: ${error.message}; not commenting`);
      results[name] = 'refused';
      continue;
    }
    results[preview.meta.stack] = await upsertOne({ github, context, core }, preview.meta, preview.body);
  }
  return results;
}

module.exports = { upsertAll, parseMarker, markerLine, commentBody };
