// The page's progressive parts; every page works without them.
// A plan job's progress: asks /graphql (with the session cookie and the page's header) every second and goes
// on to the plan when the job is done; without JavaScript the page refreshes itself instead.
"use strict";

const PAGE_HEADER = "X-PermitPath-Page";
const JOB_QUERY = "query PagePlanJobProgress($id: ID!) { planJob(id: $id) { ... on PlanJob { state improvements error storedPlan { id } } } }";

async function askApi(query, variables) {
  const response = await fetch("/graphql", {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json", [PAGE_HEADER]: "1" },
    body: JSON.stringify({ query, variables }),
  });
  if (response.status === 401) {
    window.location.assign("/signin");
    return null;
  }
  const body = await response.json();
  return body.data || null;
}

function followJob(box) {
  const state = document.getElementById("job-state");
  const improvements = document.getElementById("job-improvements");
  const texts = { QUEUED: box.dataset.queued, RUNNING: box.dataset.running };
  async function poll() {
    let data = null;
    try {
      data = await askApi(JOB_QUERY, { id: box.dataset.jobId });
    } catch (error) {
      setTimeout(poll, 2000);
      return;
    }
    const job = data && data.planJob;
    if (!job || !job.state) return;
    if (job.state === "DONE" && job.storedPlan) {
      window.location.assign("/plans/" + encodeURIComponent(job.storedPlan.id));
      return;
    }
    if (job.state === "FAILED" || job.state === "CANCELLED") {
      state.textContent = box.dataset.failed + " " + (job.error || job.state);
      box.querySelector("progress").remove();
      return;
    }
    if (texts[job.state] && state.textContent.trim() !== texts[job.state]) state.textContent = texts[job.state];
    improvements.textContent = box.dataset.improvements.replace("{count}", String(job.improvements));
    setTimeout(poll, 1000);
  }
  poll();
}

document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("job");
  if (box) {
    // JavaScript follows the job: the no-script refresh is not needed.
    document.querySelectorAll("noscript").forEach((element) => element.remove());
    followJob(box);
  }
});
