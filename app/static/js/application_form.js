/* The applicant's pages (P3, P7): the 申报级别 → 申报系列 → 申报职称 / 现从事专业 cascade and the
   committee list from the JSON pickers, the unit picker (select2, 20 units a page from
   /pickers/units), the fields shown only for 破格 and 是否是工作单位 = 否, and a confirm() for forms
   marked data-confirm (取消申请, 确认申报). The server checks every rule again. */
(function ($) {
  "use strict";

  $(function () {
    $("form[data-confirm]").on("submit", function (event) {
      if (!window.confirm($(this).data("confirm"))) { event.preventDefault(); }
    });

    var $form = $("#base-form");
    if (!$form.length) { return; }
    var blank = $form.data("choose");
    var $level = $("#level_id"), $series = $("#series_id"), $title = $("#title_id"),
        $specialty = $("#specialty_id"), $method = $("#method_id"), $unit = $("#unit_id"),
        $committee = $("#committee_id"), $isWorkUnit = $("#is_work_unit");

    function fill($select, rows, complete) {
      var keep = $select.val();
      // a complete choice with nothing to offer says so (seed 004: “未查到相关的评委会”)
      $("#" + $select.attr("id") + "-none").toggle(Boolean(complete) && rows.length === 0);
      $select.find("option").remove();
      $select.append($("<option>").val("").text(blank));
      $.each(rows, function (_, row) { $select.append($("<option>").val(String(row.id)).text(row.name)); });
      $select.val(keep && $select.find("option[value='" + keep + "']").length ? keep : "");
    }

    function load($select, url, params) {
      var complete = true;
      $.each(params, function (_, value) { if (!value) { complete = false; } });
      if (!complete) { fill($select, [], false); return $.Deferred().resolve().promise(); }
      return $.getJSON(url, params).done(function (rows) { fill($select, rows, true); });
    }

    function loadCommittees() {
      return load($committee, $form.data("committees-url"),
                  {level: $level.val(), series: $series.val(), unit: $unit.val(), year: $form.data("year")});
    }

    function loadTitlesAndSpecialties() {
      return $.when(
        load($title, $form.data("titles-url"), {level: $level.val(), series: $series.val()}),
        load($specialty, $form.data("specialties-url"), {series: $series.val()}),
        loadCommittees());
    }

    $level.on("change", function () {
      load($series, $form.data("series-url"), {level: $level.val()}).always(loadTitlesAndSpecialties);
    });
    $series.on("change", loadTitlesAndSpecialties);
    $unit.on("change", loadCommittees);

    function toggle($group, show) {
      $group.toggle(show);
      if (!show) { $group.find("select, input").val(""); }
    }
    function showCase() {
      toggle($("#group-exceptional_case_id"), $method.find("option:selected").data("exceptional") === 1);
    }
    function showWorkUnit() { toggle($("#group-work_unit_name"), $isWorkUnit.val() === "0"); }
    $method.on("change", showCase);
    $isWorkUnit.on("change", showWorkUnit);

    if ($.fn.select2) {
      var text = function (key) { return function () { return $form.data(key) || ""; }; };
      $unit.select2({
        theme: "bootstrap",
        width: "100%",
        placeholder: $form.data("unit-placeholder"),
        language: {searching: text("searching"), noResults: text("no-results"), loadingMore: text("loading-more"),
                   errorLoading: text("error-loading")},
        ajax: {
          url: $form.data("units-url"),
          dataType: "json",
          delay: 300,
          data: function (params) { return {q: params.term || "", page: params.page || 1}; },
          processResults: function (data) { return {results: data.results, pagination: {more: data.more}}; }
        }
      });
    }
  });
}(window.jQuery));
